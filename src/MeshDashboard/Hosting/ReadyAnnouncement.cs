using MeshDashboard.Cluster.Watching;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MeshDashboard.Hosting;

/// <summary>
/// Says, as the last line of a start, where to open the dashboard: once the server listens and the watch cache has
/// synced, so the first page a person opens shows the mesh rather than "Connecting to the cluster…". The line stands
/// alone at Information; the per-kind list lines before it are Debug.
/// </summary>
internal sealed partial class ReadyAnnouncement(IServer server, IMeshCache cache, IHostApplicationLifetime lifetime, ILogger<ReadyAnnouncement> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource<string> _announced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The address announced, once it has been.</summary>
    public Task<string> Announced => _announced.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WhenStartedAsync(stoppingToken);
            await cache.WaitForSyncAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            _announced.TrySetCanceled(stoppingToken);
            return;
        }
        var address = OpenAddress(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        LogStartCost(logger, System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds, GC.GetTotalAllocatedBytes() / 1_000_000);
        LogReady(logger, address);
        _announced.TrySetResult(address);
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>The address a person types: http before https (no certificate warning), a wildcard host as 127.0.0.1.</summary>
    internal static string OpenAddress(ICollection<string> addresses)
    {
        var chosen = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0).FirstOrDefault() ?? "http://127.0.0.1:5080";
        var uri = new UriBuilder(chosen.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
        return uri.Uri.ToString();
    }

    // What the start cost the runtime, for whoever measures it (the scale runner turns this on).
    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Start: {Methods} methods compiled in {JitMilliseconds:F0} ms; collections gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}, {PauseMilliseconds:F0} ms paused; {AllocatedMegabytes} MB allocated")]
    private static partial void LogStartCost(ILogger logger, long methods, double jitMilliseconds, int gen0, int gen1, int gen2, double pauseMilliseconds, long allocatedMegabytes);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "MeshDashboard is ready: open {Address}")]
    private static partial void LogReady(ILogger logger, string address);
}
