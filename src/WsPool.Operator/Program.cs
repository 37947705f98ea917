// The wspool operator: reconciles WebSocketPools into Deployments, Services, balancers and brokers.
// Options: command line (--workers 8) or environment (WSPOOL_WORKERS=8); `--help` lists them (Hosting/OperatorOptions.cs).
using WsPool.Operator.Hosting;

if (args is ["--help"] or ["-h"])
{
    Console.Out.WriteLine(OperatorOptions.Help);
    return 0;
}

var config = new ConfigurationBuilder()
    .AddEnvironmentVariables("WSPOOL_")
    .AddCommandLine(args)
    .Build();
OperatorOptions options;
k8s.KubernetesClientConfiguration kubeConfig;
try
{
    options = OperatorOptions.From(config);
    kubeConfig = OperatorHost.KubeConfigFor(options);
}
catch (Exception e) when (e is OptionsException or k8s.Exceptions.KubeConfigException or FileNotFoundException)
{
    Console.Error.WriteLine($"wspool-operator: {e.Message}");
    return 2;
}
var app = OperatorHost.Build(args, options, kubeConfig);
await app.RunAsync();
return Environment.ExitCode;
