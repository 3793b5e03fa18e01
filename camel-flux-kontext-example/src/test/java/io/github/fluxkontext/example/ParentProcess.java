package io.github.fluxkontext.example;

import java.util.List;

/**
 * Stands in for Maven in {@link RunProfileTest}: starts the given command as its child (as exec-maven-plugin does),
 * prints the child's pid, passes the child's output through, and waits until it is killed.
 */
public final class ParentProcess {

    private ParentProcess() {
    }

    public static void main(String[] command) throws Exception {
        Process child = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        System.out.println("child pid " + child.pid());
        System.out.flush();
        child.waitFor();
    }
}
