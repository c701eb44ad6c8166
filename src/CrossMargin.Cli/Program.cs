// Entry point of the crossmargin command: the command tree is in CliApp, the engine is plugged in by EngineRegistration.
using CrossMargin.Cli;
using CrossMargin.Cli.Services;

var app = new CliApp(EngineRegistration.Create(), CliConsole.System());
return await app.RunAsync(args, handleCtrlC: true);
