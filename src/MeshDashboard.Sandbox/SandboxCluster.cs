using System.Net;
using MeshDashboard.Sandbox.Admission;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.DemoMesh;
using MeshDashboard.Sandbox.Security;
using MeshDashboard.Sandbox.Storage;
using MeshDashboard.Sandbox.Traffic;
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
    private const string KubeconfigFileName = "kubeconfig";

    /// <summary>What the sandbox keeps in its data directory; an older version made these readable by everyone.</summary>
    private static readonly string[] OwnedNames = [SandboxToken.FileName, SandboxCertificate.FileName, KubeconfigFileName, FileStatePersister.RevisionFileName, FileStatePersister.ObjectsFolderName];

    private readonly WebApplication _app;
    private readonly IDisposable _certificate;

    private SandboxCluster(WebApplication app, IDisposable certificate, ObjectStore store, Uri address, string kubeconfigPath, SandboxTraffic? traffic)
    {
        _app = app;
        _certificate = certificate;
        Traffic = traffic;
        Store = store;
        Address = address;
        KubeconfigPath = kubeconfigPath;
    }

    /// <summary>The base address of the API, e.g. <c>https://127.0.0.1:34567/</c>.</summary>
    public Uri Address { get; }

    /// <summary>A kubeconfig whose current context points at this sandbox, with the token it accepts (mode 0600).</summary>
    public string KubeconfigPath { get; }

    public ObjectStore Store { get; }

    /// <summary>The simulated traffic through the mesh, unless <c>Sandbox:Traffic:Enabled</c> is false.</summary>
    public SandboxTraffic? Traffic { get; }

    /// <summary>The token the sandbox accepts, for a scrape job that reads <c>/metrics</c> as a real cluster's would.</summary>
    public string Token { get; private init; } = "";

    /// <summary>The sandbox's self-signed certificate (its own authority), PEM, for clients that pin it.</summary>
    public string CertificatePem { get; private init; } = "";

    /// <summary>The most recent requests with the identity headers they carried, for tests and diagnostics.</summary>
    public RequestLog Requests { get; private init; } = new();

    // trafficMesh: where the traffic simulator reads the mesh it routes by; null reads the store. A dashboard that embeds
    // the sandbox passes its own watch cache, so the process keeps one copy of the mesh.
    public static async Task<SandboxCluster> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default, TimeProvider? time = null,
        ITrafficMeshSource? trafficMesh = null)
    {
        time ??= TimeProvider.System;
        PrivateFiles.CreateDirectory(options.DataDirectory);
        PrivateFiles.Tighten(options.DataDirectory, OwnedNames);
        var token = SandboxToken.LoadOrCreate(options.DataDirectory);
        var certificate = SandboxCertificate.LoadOrCreate(options.DataDirectory);
        var store = new ObjectStore(new FileStatePersister(options.DataDirectory), new SandboxAdmission(), time, Crds.BundledDefinitions.Load());
        if (options.SeedDemoMesh && store.IsEmpty)
        {
            DemoMeshSeeder.Seed(store);
        }
        SystemNamespaces.Ensure(store);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(certificate)));
        builder.Services.AddSingleton(store);
        // The sandbox stops when its owner disposes it, not on the process's Ctrl+C/SIGTERM: otherwise it would close
        // the dashboard's watches while the dashboard is still shutting down.
        builder.Services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
        var app = builder.Build();
        var requests = new RequestLog();
        var traffic = options.Traffic.Enabled ? new SandboxTraffic(store, options.Traffic, time, trafficMesh) : null;
        var api = new KubernetesApi(store, time, options, new BearerAuthentication(token), requests, traffic?.Ledger);
        var stopping = app.Lifetime.ApplicationStopping;
        app.Run(context => api.HandleAsync(context, stopping));
        await app.StartAsync(cancellationToken);

        var boundAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new Uri(boundAddress.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        var kubeconfig = Path.Combine(options.DataDirectory, KubeconfigFileName);
        Kubeconfig.Write(kubeconfig, address, token.Value, certificate);
        traffic?.Start();
        return new SandboxCluster(app, certificate, store, address, kubeconfig, traffic)
        {
            Requests = requests,
            Token = token.Value,
            CertificatePem = certificate.ExportCertificatePem(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (Traffic is not null)
        {
            await Traffic.DisposeAsync();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}

/// <summary>A host lifetime that ignores process signals; the owner starts and stops the host.</summary>
internal sealed class OwnerControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
