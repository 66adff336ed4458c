using System.Collections.Immutable;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Cluster.Tests.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Rollouts;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MeshDashboard.Cluster.Tests.Rollouts;

/// <summary>
/// A sandbox on a hand-moved clock with its traffic simulator, and rollout drivers ("replicas", each with its own watch
/// cache and change pipeline) against it. A test moves time one second at a time: the simulator sends that second's
/// requests, then every running replica takes one tick. Nothing waits on the wall clock.
/// </summary>
public sealed class RolloutHarness : IAsyncDisposable
{
    public static readonly ObjectRef Reviews = new(ResourceKind.Service, "bookinfo", "reviews");
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(5);

    private readonly List<Replica> _replicas = [];

    private RolloutHarness(TestSandbox sandbox, FakeTimeProvider time)
    {
        Sandbox = sandbox;
        Time = time;
    }

    public TestSandbox Sandbox { get; }

    public FakeTimeProvider Time { get; }

    public LedgerTrafficMetrics Metrics => new(Sandbox.Cluster.Traffic!.Ledger, Time);

    public static async Task<RolloutHarness> StartAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        // The simulator's own loop never fires on this clock: the harness ticks it once per simulated second.
        var sandbox = new TestSandbox(time, options =>
        {
            options.Traffic.RequestsPerSecond = 50;
            options.Traffic.TickedByOwner = true;
            options.Traffic.Seed = 7;
        });
        await sandbox.InitializeAsync();
        return new RolloutHarness(sandbox, time);
    }

    /// <summary>A replica: its own watch cache, pipeline and driver, named <paramref name="identity"/> in the Leases.</summary>
    public async Task<Replica> StartReplicaAsync(string identity)
    {
        var pipeline = await PipelineHarness.StartAsync(Sandbox);
        var client = pipeline.Client;
        var store = new RolloutStore(client, "meshdashboard");
        var leases = new RolloutLeases(client, "meshdashboard", identity, LeaseDuration, Time);
        var driver = new RolloutDriver(store, leases, pipeline.Dashboard, Metrics, Time, NullLogger<RolloutDriver>.Instance);
        var replica = new Replica(pipeline, driver, new RolloutClient(store, driver, new RolloutWakeUp(), pipeline.Dashboard, Metrics, Time));
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>One simulated second: the simulator's requests, then one tick of every running replica (at the same moment).</summary>
    public async Task SecondAsync()
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        Sandbox.Cluster.Traffic!.Tick();
        await Task.WhenAll(_replicas.Where(r => r.Running).Select(r => r.Driver.TickAsync(TestContext.Current.CancellationToken)));
    }

    /// <summary>Moves on second by second until the condition holds for the stored rollout; fails after <paramref name="seconds"/>.</summary>
    public async Task<StoredRollout> UntilAsync(Replica reader, Func<StoredRollout, bool> condition, int seconds = 120)
    {
        StoredRollout? last = null;
        for (var i = 0; i < seconds; i++)
        {
            await SecondAsync();
            last = await reader.Rollouts.GetAsync(Reviews, TestContext.Current.CancellationToken);
            if (last is not null && condition(last))
            {
                return last;
            }
        }
        throw new TimeoutException($"The rollout did not reach the condition within {seconds} simulated seconds; it is at step {last?.Status.Step} " +
            $"({last?.Status.Phase}): {last?.Status.Message} Gates: {string.Join("; ", last?.Status.Gates ?? [])}");
    }

    public static RolloutPlan HealthyPlan(string author = "alice", RolloutFailureAction onFailure = RolloutFailureAction.Rollback) =>
        new(Reviews, "v2", "v1",
            [new RolloutStep(20, TimeSpan.FromSeconds(3)), new RolloutStep(50, TimeSpan.FromSeconds(10)), new RolloutStep(100, TimeSpan.Zero)],
            new RolloutGates(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), MinSuccessRate: 0.95, MaxP99Ms: 1000, MinRequests: 20, PromQl: []),
            onFailure)
        {
            StartedBy = author,
            Reason = "release 2.0",
        };

    /// <summary>The default route's destinations of the reviews VirtualService, as "subset=weight".</summary>
    public static ImmutableArray<string> DefaultRoute(Replica replica)
    {
        var route = replica.Pipeline.Dashboard.Current.FindService("bookinfo", "reviews")!.MeshRoute!.VirtualService.Http.First(r => r.IsCatchAll);
        return [.. route.Destinations.Select(d => $"{d.Subset}={d.Weight ?? 100}")];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.Pipeline.DisposeAsync();
        }
        await Sandbox.DisposeAsync();
    }

    public sealed class Replica(PipelineHarness pipeline, RolloutDriver driver, IRolloutClient rollouts)
    {
        public PipelineHarness Pipeline { get; } = pipeline;

        public RolloutDriver Driver { get; } = driver;

        public IRolloutClient Rollouts { get; } = rollouts;

        /// <summary>False once the replica stopped (crashed or shut down): the harness no longer ticks it.</summary>
        public bool Running { get; set; } = true;

        public async Task<IReadOnlyList<HistoryEntry>> RolloutHistoryAsync() =>
            [.. (await Pipeline.Dashboard.GetHistoryAsync(Reviews, TestContext.Current.CancellationToken)).Where(h => h.Reason?.StartsWith("via rollout", StringComparison.Ordinal) == true).Reverse()];
    }
}
