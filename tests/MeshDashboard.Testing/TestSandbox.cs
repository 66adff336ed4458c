using k8s;
using Xunit;
using MeshDashboard.Sandbox;

namespace MeshDashboard.Testing;

/// <summary>
/// A sandbox cluster for one test class: its own data folder, any free loopback port, the demo mesh
/// seeded unless asked otherwise. Can be restarted on the same port and data to test persistence.
/// </summary>
public sealed class TestSandbox : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly bool _seedDemoMesh;
    private readonly List<string> _readOnlyUsers;
    private readonly TimeProvider? _time;
    private readonly Action<SandboxOptions>? _configure;
    private SandboxCluster? _cluster;

    public TestSandbox() : this(seedDemoMesh: true)
    {
    }

    public TestSandbox(bool seedDemoMesh, params string[] readOnlyUsers)
    {
        _seedDemoMesh = seedDemoMesh;
        _readOnlyUsers = [.. readOnlyUsers];
    }

    /// <summary>A demo-mesh sandbox on the test's clock (the traffic simulator's figures are stamped by it), with its options adjusted.</summary>
    public TestSandbox(TimeProvider time, Action<SandboxOptions> configure)
        : this(seedDemoMesh: true)
    {
        _time = time;
        _configure = configure;
    }

    public SandboxCluster Cluster => _cluster ?? throw new InvalidOperationException("The sandbox is not running.");

    public string DataDirectory => _data.Path;

    public string KubeconfigPath => Path.Combine(_data.Path, "kubeconfig");

    public Kubectl Kubectl => new(KubeconfigPath);

    public IKubernetes CreateClient() => new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>A client whose requests pass through <paramref name="handler"/> first (fault injection).</summary>
    public IKubernetes CreateClient(DelegatingHandler handler) => new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath), handler);

    /// <summary>The bearer token the sandbox accepts, read from its kubeconfig as every client reads it.</summary>
    public string Token => KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath).AccessToken;

    /// <summary>An HTTP client for raw API requests, carrying the kubeconfig's token.</summary>
    public HttpClient CreateHttpClient()
    {
        var http = CreateAnonymousHttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    /// <summary>An HTTP client with no credential that trusts the sandbox's certificate (pinned in the kubeconfig), as curl --cacert would.</summary>
    public HttpClient CreateAnonymousHttpClient()
    {
        var pinned = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath).SslCaCerts.Single();
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawDataMemory.Span.SequenceEqual(pinned.RawDataMemory.Span),
        };
        return new HttpClient(handler) { BaseAddress = Cluster.Address };
    }

    public async ValueTask InitializeAsync() => _cluster = await SandboxCluster.StartAsync(Options(port: 0), time: _time);

    /// <summary>Stops the sandbox and starts it again on the same port with the same data.</summary>
    public async Task RestartAsync()
    {
        var port = Cluster.Address.Port;
        await StopAsync();
        _cluster = await SandboxCluster.StartAsync(Options(port), time: _time);
    }

    public async Task StopAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null;
        }
    }

    public async Task StartAgainAsync(int port) => _cluster = await SandboxCluster.StartAsync(Options(port), time: _time);

    private SandboxOptions Options(int port)
    {
        var options = new SandboxOptions
        {
            DataDirectory = _data.Path,
            Port = port,
            SeedDemoMesh = _seedDemoMesh,
            ReadOnlyUsers = _readOnlyUsers,
            BookmarkInterval = TimeSpan.FromSeconds(1),
        };
        _configure?.Invoke(options);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _data.Dispose();
    }
}
