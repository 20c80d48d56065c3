using Bridge.Service.Hosting;

return await BridgeProgram.RunAsync(args);
