using Bridge.Relay.Hosting;

return await RelayProgram.RunAsync(args);
