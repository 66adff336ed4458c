using System.Net;
using MeshDashboard.Sandbox.Admission;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.DemoMesh;
using MeshDashboard.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Sandbox;

/// <summary>
/// The embedded cluster: an HTTP server on loopback that speaks the Kubernetes API over a persistent
/// object store. Clients (KubernetesClient, kubectl) reach it exactly as they reach a real API server.
/// </summary>
public sealed class SandboxCluster : IAsyncDisposable
{
    public const string ContextName = "meshdashboard-sandbox";

    private readonly WebApplication _app;

    private SandboxCluster(WebApplication app, ObjectStore store, Uri address, string kubeconfigPath)
    {
        _app = app;
        Store = store;
        Address = address;
        KubeconfigPath = kubeconfigPath;
    }

    /// <summary>The base address of the API, e.g. <c>http://127.0.0.1:34567/</c>.</summary>
    public Uri Address { get; }

    /// <summary>A kubeconfig whose current context points at this sandbox.</summary>
    public string KubeconfigPath { get; }

    public ObjectStore Store { get; }

    /// <summary>The most recent requests with the identity headers they carried, for tests and diagnostics.</summary>
    public RequestLog Requests { get; private init; } = new();

    public static async Task<SandboxCluster> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        Directory.CreateDirectory(options.DataDirectory);
        var store = new ObjectStore(new FileStatePersister(options.DataDirectory), new SandboxAdmission(), time);
        if (options.SeedDemoMesh && store.IsEmpty)
        {
            DemoMeshSeeder.Seed(store);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSingleton(store);
        // The sandbox stops when its owner disposes it, not on the process's Ctrl+C/SIGTERM: otherwise it would close
        // the dashboard's watches while the dashboard is still shutting down.
        builder.Services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
        var app = builder.Build();
        var api = new KubernetesApi(store, time, options);
        var stopping = app.Lifetime.ApplicationStopping;
        var requests = new RequestLog();
        app.Run(context =>
        {
            requests.Record(context.Request);
            return api.HandleAsync(context, stopping);
        });
        await app.StartAsync(cancellationToken);

        var boundAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new Uri(boundAddress.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        var kubeconfig = Path.Combine(options.DataDirectory, "kubeconfig");
        Kubeconfig.Write(kubeconfig, address);
        return new SandboxCluster(app, store, address, kubeconfig) { Requests = requests };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A host lifetime that ignores process signals; the owner starts and stops the host.</summary>
internal sealed class OwnerControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
