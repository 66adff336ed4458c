using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshDashboard.Cluster.Rollouts;

/// <summary>Runs <see cref="RolloutDriver.TickAsync"/> every tick (sooner when woken) and gives its Leases back on shutdown.</summary>
internal sealed partial class RolloutService(RolloutDriver driver, RolloutWakeUp wakeUp, IOptions<RolloutOptions> options, TimeProvider time, ILogger<RolloutService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await driver.TickAsync(stoppingToken);
                await wakeUp.WaitAsync(options.Value.TickInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // A bug in one tick must not end rollouts for the life of the process; the next tick starts afresh.
                LogTickFailed(logger, error);
                await Task.Delay(options.Value.TickInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await driver.ReleaseAllAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A rollout tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception error);
}
