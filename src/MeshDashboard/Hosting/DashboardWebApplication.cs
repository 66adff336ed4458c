using MeshDashboard.Api;
using MeshDashboard.Authentication;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.KeyStorage;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Components;
using MeshDashboard.Sandbox;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using MudBlazor.Services;

namespace MeshDashboard.Hosting;

/// <summary>
/// Builds and runs the dashboard: the cluster connection (starting the embedded sandbox when that is the
/// mode), the shared watch cache, the Blazor UI and the health endpoints. Tests start it the same way,
/// with their own configuration, on a free loopback port.
/// </summary>
public sealed class DashboardWebApplication : IAsyncDisposable
{
    private readonly SandboxCluster? _sandbox;
    private readonly ClusterConnection _connection;

    private readonly AuthOptions _auth;

    private DashboardWebApplication(WebApplication app, SandboxCluster? sandbox, ClusterConnection connection, AuthOptions auth)
    {
        _auth = auth;
        App = app;
        _sandbox = sandbox;
        _connection = connection;
    }

    public WebApplication App { get; }

    /// <summary>The embedded cluster, when running in sandbox mode.</summary>
    public SandboxCluster? Sandbox => _sandbox;

    /// <param name="args">Command-line arguments, as <c>dotnet run</c> passes them.</param>
    /// <param name="configure">Runs first: configuration and the web host (tests set their settings and port here).</param>
    /// <param name="replaceServices">Runs after the dashboard's registrations, so tests can swap or wrap a service.</param>
    public static async Task<DashboardWebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Fixed, so the static assets manifests are found when tests host the app too.
            ApplicationName = typeof(DashboardWebApplication).Assembly.GetName().Name,
            WebRootPath = WebRoot.Locate(),
        });
        configure?.Invoke(builder);
        var authOptions = builder.AddDashboardAuthentication();
        var forwarded = (builder.Configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>() ?? new ProxyOptions()).ToFrameworkOptions();

        var clusterOptions = builder.Configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        SandboxCluster? sandbox = null;
        var trafficMesh = new DashboardTrafficMesh();
        if (clusterOptions.EffectiveMode == ClusterMode.Sandbox)
        {
            var sandboxOptions = builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
            sandbox = await SandboxCluster.StartAsync(sandboxOptions, trafficMesh: trafficMesh);
        }
        var connection = ClusterConnection.Create(clusterOptions, sandbox?.KubeconfigPath);
        var info = sandbox is null ? connection.Info : connection.Info with { Name = "sandbox", Server = sandbox.Address.ToString() };

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(connection.Client);
        services.AddSingleton(info);
        services.AddSingleton<MeshCache>();
        services.AddSingleton<IMeshCache>(sp => sp.GetRequiredService<MeshCache>());
        services.AddSingleton<MeshWatchService>();
        services.AddHostedService(sp => sp.GetRequiredService<MeshWatchService>());
        services.AddSingleton(builder.Configuration.GetSection(HistoryOptions.SectionName).Get<HistoryOptions>() ?? new HistoryOptions());
        services.AddSingleton<ClusterWriter>();
        services.AddSingleton<ChangeEvents>();
        services.AddSingleton<AccessReviewer>();
        services.AddSingleton<ChangeHistoryStore>();
        services.AddSingleton(builder.Configuration.GetSection(JournalOptions.SectionName).Get<JournalOptions>() ?? new JournalOptions());
        services.AddSingleton<ChangeJournal>();
        services.AddSingleton<RunningChanges>();
        services.AddSingleton<JournalRecovery>();
        services.AddHostedService<JournalRecoveryService>();
        services.AddSingleton<ReadyAnnouncement>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadyAnnouncement>());
        services.AddSingleton<ChangePipeline>();
        services.AddSingleton<MeshDashboardClient>();
        // Every caller gets the client through the role check; the unchecked one stays internal.
        services.AddScoped<IMeshDashboardClient>(sp => new AuthorizingMeshDashboardClient(
            sp.GetRequiredService<MeshDashboardClient>(), sp.GetRequiredService<ICurrentUser>(), sp.GetRequiredService<ILogger<AuthorizingMeshDashboardClient>>(),
            impersonate: clusterOptions.Impersonate));
        // Prometheus when configured; else, in Sandbox mode, the simulator's own figures; else "not configured".
        services.AddTrafficMetrics(builder.Configuration, sandbox?.Traffic is { } traffic
            ? sp => ActivatorUtilities.CreateInstance<SandboxTrafficSource>(sp, traffic.Ledger)
            : null);
        // Rollout steps are ordinary changes through the pipeline, made for the person who started the plan.
        services.AddRollouts(builder.Configuration, sp => sp.GetRequiredService<MeshDashboardClient>());
        AddKeyRing(services, builder.Configuration, authOptions);
        services.AddSingleton(HostAllowList.From(builder.Configuration, authOptions));
        HostAllowList.DisableFrameworkFilter(services);
        // Snackbars bottom right: the page's own buttons (Rollback, top right) stay reachable while one shows.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddProblemDetails();
        services.AddOpenApi();
        replaceServices?.Invoke(services);

        var app = builder.Build();
        if (sandbox is not null)
        {
            // The embedded sandbox's simulated traffic routes by this process's watch cache (see DashboardTrafficMesh).
            trafficMesh.Follow(app.Services.GetRequiredService<MeshDashboardClient>());
        }
        if (forwarded is not null)
        {
            // First, so everything after sees the client's scheme and address.
            app.UseForwardedHeaders(forwarded);
        }
        // HSTS goes out on https requests only (and never for localhost), in every environment.
        app.UseHsts();
        app.UseSecurityHeaders();
        app.UseMiddleware<BrowserRequestGuard>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseApiProblems();
        app.UseStaticFiles();
        app.UseDashboardAuthentication();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/readyz", (MeshDashboardClient client, TimeProvider time) =>
            !client.IsReady ? Results.Text("watch cache not synced", statusCode: StatusCodes.Status503ServiceUnavailable)
            : client.Current.Health.IsStale(time.GetUtcNow(), clusterOptions.UnreachableGrace)
                ? Results.Text($"cluster unreachable since {client.Current.Health.UnreachableSince:O}", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok")).AllowAnonymous();
        app.MapDashboardAuthentication(authOptions);
        app.MapOpenApi();
        app.MapServiceApi();
        app.MapSimulateApi();
        app.MapMetricsApi();
        app.MapRolloutApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        if (sandbox is not null)
        {
            app.Logger.LogInformation("Sandbox cluster at {Address}; kubectl: kubectl --kubeconfig {Kubeconfig} get vs -A", sandbox.Address, sandbox.KubeconfigPath);
        }
        return new DashboardWebApplication(app, sandbox, connection, authOptions);
    }

    /// <summary>
    /// Data Protection keys protect sign-in cookies and antiforgery tokens. When people sign in they live in a Secret
    /// in the cluster by default, so a restart or another replica does not sign everyone out.
    /// </summary>
    private static void AddKeyRing(IServiceCollection services, IConfiguration configuration, AuthOptions auth)
    {
        var options = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var store = options.Store ?? (auth.Mode == AuthMode.None ? KeyRingStore.Local : KeyRingStore.Cluster);
        // One name for every replica and version: the default (the content root path) would differ between installs.
        services.AddDataProtection().SetApplicationName("MeshDashboard");
        if (store == KeyRingStore.Cluster)
        {
            services.AddSingleton(options);
            services.AddSingleton<SecretXmlRepository>();
            services.AddOptions<KeyManagementOptions>().Configure<SecretXmlRepository>((keys, repository) => keys.XmlRepository = repository);
        }
    }

    public async Task RunAsync()
    {
        await StartAsync();
        await App.WaitForShutdownAsync();
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // The first sync first: the host's start resolves all its services before it starts any (see MeshWatchService).
        await App.Services.GetRequiredService<MeshWatchService>().StartAsync(cancellationToken);
        await App.StartAsync(cancellationToken);
        if (_auth.Mode == AuthMode.None)
        {
            // Whatever configured the addresses (settings or code), without sign-in the server stays on loopback.
            var open = App.Urls.FirstOrDefault(url => !LoopbackGuard.IsLoopback(url));
            if (open is not null)
            {
                await App.StopAsync(cancellationToken);
                LoopbackGuard.Check(open);
            }
        }
    }

    /// <summary>The addresses the app listens on, once started.</summary>
    public IReadOnlyList<string> Urls => App.Urls.ToList();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _connection.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
