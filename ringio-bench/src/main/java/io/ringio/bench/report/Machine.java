package io.ringio.bench.report;

/**
 * Where the numbers were measured, printed with every table.
 *
 * @param cpu         the CPU model
 * @param cores       processors available to the JVM
 * @param memoryBytes physical memory
 * @param kernel      the kernel release, for example {@code 6.18.44}
 * @param jdk         the JDK running the engines
 * @param disk        the block device under the test file, with its model when known
 * @param fileSystem  the file system type of the test file's directory, for example {@code ext4}
 */
public record Machine(String cpu, int cores, long memoryBytes, String kernel, String jdk, String disk,
                      String fileSystem) {}
