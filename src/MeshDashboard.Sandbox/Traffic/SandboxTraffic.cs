using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// The sandbox's simulated clients: every tick, reads the mesh as its <see cref="ITrafficMeshSource"/> holds it now (the
/// store's, or in Sandbox mode the dashboard's watch cache) and the pods' staged traffic from the store, and lets the
/// <see cref="TrafficEngine"/> send that tick's requests. Runs until disposed.
/// </summary>
public sealed class SandboxTraffic : IAsyncDisposable
{
    private readonly ITrafficMeshSource _mesh;
    private readonly StagedPods _stagedPods;
    private readonly TrafficOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private DateTimeOffset _lastTick;
    private int _disposed;

    // mesh: where the mesh is read; null reads the store's own objects.
    public SandboxTraffic(ObjectStore store, TrafficOptions options, TimeProvider time, ITrafficMeshSource? mesh = null)
    {
        _mesh = mesh ?? new StoreTrafficMesh(store);
        _stagedPods = new StagedPods(store);
        _options = options;
        _time = time;
        _lastTick = time.GetUtcNow();
        // Checkpoints no closer than 5 s bound the history kept for the embedded reader (75 minutes is 900 of them).
        Ledger = new TrafficLedger(_lastTick, options.History, options.TickInterval < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : options.TickInterval);
        Engine = new TrafficEngine(options, options.Seed is { } seed ? new Random(seed) : new Random(), Ledger);
    }

    public TrafficLedger Ledger { get; }

    public TrafficEngine Engine { get; }

    public void Start() => _loop = _options.TickedByOwner ? Task.CompletedTask : RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One tick: the requests due since the last one, over the mesh as it is now.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var elapsed = now - _lastTick;
        _lastTick = now;
        if (_mesh.Current is { } index)
        {
            Engine.Tick(index, _stagedPods.Current, elapsed, now);
        }
        else
        {
            Engine.Idle(now);
        }
    }

    /// <summary>Idempotent: the sandbox may be disposed by a test that stops the cluster and again by its owner.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _stagedPods.Dispose();
    }
}
