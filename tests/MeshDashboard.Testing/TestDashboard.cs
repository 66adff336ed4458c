using System.Net;
using MeshDashboard.Hosting;
using Microsoft.AspNetCore.Builder;
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
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly Action<IServiceCollection>? _replaceServices;
    private DashboardWebApplication? _app;

    public TestDashboard() : this(new Dictionary<string, string?>())
    {
    }

    public TestDashboard(IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replaceServices = null)
    {
        _configure = configure;
        _replaceServices = replaceServices;
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

    /// <summary>A client that keeps cookies and does not follow redirects, as a browser session seen step by step.</summary>
    public HttpClient CreateBrowserLikeClient(System.Net.CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new System.Net.CookieContainer(), AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = BaseAddress };

    public async ValueTask InitializeAsync()
    {
        _app = await DashboardWebApplication.CreateAsync(["--environment", "Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            _configure?.Invoke(builder);
        }, _replaceServices);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        await _app.App.Services.GetRequiredService<Cluster.Watching.IMeshCache>().WaitForSyncAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Stops the dashboard (and its sandbox) and starts it again on the same data, as a pod restart would.</summary>
    public async Task RestartAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        await InitializeAsync();
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
