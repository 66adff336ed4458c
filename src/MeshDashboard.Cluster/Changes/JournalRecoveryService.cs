using MeshDashboard.Cluster.Watching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// Looks for open changes at start (once the watch cache has synced) and then every <see cref="JournalOptions.CheckInterval"/>,
/// so a change interrupted by a crash or an outage is finished or undone soon after the cluster answers again.
/// </summary>
public sealed partial class JournalRecoveryService(JournalRecovery recovery, IMeshCache cache, JournalOptions options, TimeProvider time, ILogger<JournalRecoveryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await cache.WaitForSyncAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await recovery.RecoverAsync(options.RecoverAfter, stoppingToken);
            }
            catch (ClusterWriteException error)
            {
                LogUnavailable(logger, error.Message);
            }
            await Task.Delay(options.CheckInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The change journal could not be read: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
