// Entry point filled in by the benchmark suites of this area.
System.Console.WriteLine("no benchmarks yet");
