using k8s;

namespace MeshDashboard.Cluster.Connection;

/// <summary>Who the dashboard is talking to, for the header every page shows.</summary>
public sealed record ClusterInfo(string Name, ClusterMode Mode, string Server);

/// <summary>The one Kubernetes client of the process and the cluster it points at.</summary>
public sealed class ClusterConnection : IDisposable
{
    public ClusterConnection(IKubernetes client, ClusterInfo info)
    {
        Client = client;
        Info = info;
    }

    public IKubernetes Client { get; }

    public ClusterInfo Info { get; }

    /// <summary>Connects as the options say. Sandbox mode needs the sandbox's kubeconfig, which its host wrote.</summary>
    public static ClusterConnection Create(ClusterOptions options, string? sandboxKubeconfig)
    {
        var mode = options.EffectiveMode;
        KubernetesClientConfiguration configuration;
        string name;
        switch (mode)
        {
            case ClusterMode.Sandbox:
                configuration = KubeconfigFile.Load(
                    sandboxKubeconfig ?? throw new InvalidOperationException("Cluster:Mode is Sandbox but no sandbox is running."), context: null);
                name = "sandbox";
                break;
            case ClusterMode.Kubeconfig:
                configuration = KubeconfigFile.Load(options.Kubeconfig, options.Context);
                name = configuration.CurrentContext ?? options.Context ?? "kubeconfig";
                break;
            default:
                configuration = KubernetesClientConfiguration.InClusterConfig();
                name = "in-cluster";
                break;
        }
        var client = new Kubernetes(configuration);
        return new ClusterConnection(client, new ClusterInfo(name, mode, configuration.Host ?? ""));
    }

    public void Dispose() => Client.Dispose();
}
