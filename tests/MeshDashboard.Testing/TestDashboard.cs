using System.Net;
using MeshDashboard.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MeshDashboard.Testing;

/// <summary>
/// The real dashboard, as <c>dotnet run</c> starts it, on a free loopback port with its own sandbox
/// cluster in a temporary folder. Tests reach it over HTTP and the sandbox through kubectl.
/// </summary>
public sealed class TestDashboard : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly Dictionary<string, string?> _settings;
    private DashboardWebApplication? _app;

    public TestDashboard() : this(new Dictionary<string, string?>())
    {
    }

    public TestDashboard(IDictionary<string, string?> settings)
    {
        _settings = new Dictionary<string, string?>(settings)
        {
            ["Cluster:Mode"] = "Sandbox",
            ["Sandbox:DataDirectory"] = _data.Path,
            ["Sandbox:Port"] = "0",
        };
    }

    public DashboardWebApplication App => _app ?? throw new InvalidOperationException("not started");

    public Uri BaseAddress { get; private set; } = null!;

    public Kubectl Kubectl => new(App.Sandbox!.KubeconfigPath);

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask InitializeAsync()
    {
        _app = await DashboardWebApplication.CreateAsync(["--environment", "Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        await _app.App.Services.GetRequiredService<Cluster.Watching.IMeshCache>().WaitForSyncAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _data.Dispose();
    }
}
