// The process entry point only wires the real console to the CLI, so tests can run the same code in-process.
return WsPool.Cli.CliApp.Run(args, Console.In, Console.Out, Console.Error);
