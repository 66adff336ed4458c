namespace MeshDashboard.Components;

/// <summary>
/// A component's live traffic figures: reads them now and then once per refresh interval on a background loop, hands
/// each result to the component on its renderer, and re-renders when it says something changed. The reads go through
/// <c>ITrafficMetrics</c>, which shares them between every open page, so a page costs no extra Prometheus query.
/// Disposing cancels the loop and waits for it.
/// </summary>
public sealed class LiveTraffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Follow<T>(TimeSpan interval, Func<CancellationToken, Task<T?>> read, Func<T, bool> show, Func<Action, Task> invokeAsync, Action render)
        where T : class =>
        _loop = LoopAsync(interval, read, show, invokeAsync, render, _stop.Token);

    private static async Task LoopAsync<T>(TimeSpan interval, Func<CancellationToken, Task<T?>> read, Func<T, bool> show, Func<Action, Task> invokeAsync, Action render,
        CancellationToken cancellationToken) where T : class
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                if (await read(cancellationToken) is { } figures)
                {
                    await invokeAsync(() =>
                    {
                        if (show(figures))
                        {
                            render();
                        }
                    });
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
