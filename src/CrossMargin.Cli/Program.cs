// Entry point of the crossmargin command; commands arrive with the engine issue.
System.Console.WriteLine("crossmargin: no commands yet");
return 0;
