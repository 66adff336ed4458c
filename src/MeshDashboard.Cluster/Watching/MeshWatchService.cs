using k8s;
using MeshDashboard.Cluster.History;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Watching;

/// <summary>Runs one <see cref="KindWatcher"/> per kind for the life of the process.</summary>
public sealed class MeshWatchService(IKubernetes client, MeshCache cache, HistoryOptions history, ILoggerFactory loggers, TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<KindWatcher>();
        var watchers = KindSources.All(client, history.Namespace).Select(source => new KindWatcher(source, cache, logger, time).RunAsync(stoppingToken));
        return Task.WhenAll(watchers);
    }
}
