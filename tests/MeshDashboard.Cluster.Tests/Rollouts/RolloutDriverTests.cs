using k8s;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Rollouts;

namespace MeshDashboard.Cluster.Tests.Rollouts;

/// <summary>
/// Rollouts driven on the sandbox with its traffic simulator, second by simulated second: steps are ordinary changes in
/// the history, a failing canary (staged with the pod annotation) goes back by itself, progress survives a restart,
/// two replicas never both drive, and an edit by someone else pauses the rollout.
/// </summary>
public sealed class RolloutDriverTests : IAsyncLifetime
{
    private RolloutHarness _harness = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _harness = await RolloutHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task HealthyCanary_ReachesAllTraffic_WithOneHistoryEntryPerStep_ByThePersonWhoStartedIt()
    {
        var replica = await _harness.StartReplicaAsync("replica-a");
        await replica.Rollouts.StartAsync(RolloutHarness.HealthyPlan("alice"), Cancel);

        var done = await _harness.UntilAsync(replica, r => r.Status.IsFinal);

        Assert.Equal(RolloutPhase.Succeeded, done.Status.Phase);
        Assert.Equal(["v2=100"], RolloutHarness.DefaultRoute(replica));
        var history = await replica.RolloutHistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.All(history, h => Assert.Equal("alice", h.Author));
        Assert.Equal(["step 1 of 3, 20%", "step 2 of 3, 50%", "step 3 of 3, 100%"],
            history.Select(h => h.Reason!.Split(" to ")[0]["via rollout: ".Length..]));
        Assert.All(history, h => Assert.Contains("release 2.0", h.Reason));
        Assert.Equal(done.Status.Revisions, history.Select(h => h.Revision));
        Assert.All(done.Status.Gates, g => Assert.Equal(GateVerdict.Pass, g.Verdict));
    }

    [Fact]
    public async Task CanaryStagedToFail_IsRolledBackWithinOneInterval_OfTheGateSeeingIt_WithTheFiguresInTheHistory()
    {
        var replica = await _harness.StartReplicaAsync("replica-a");
        var plan = RolloutHarness.HealthyPlan("alice");
        await replica.Rollouts.StartAsync(plan, Cancel);
        await _harness.UntilAsync(replica, r => r.Status.Step == 1);

        // The README's one command that stages the failure.
        (await _harness.Sandbox.Kubectl.RunAsync("annotate", "pod", "-n", "bookinfo", "-l", "app=reviews,version=v2", "traffic.sandbox.meshdashboard.io/error-rate=0.5")).EnsureSuccess();
        DateTimeOffset? firstFailingFigures = null;
        StoredRollout? rolledBack = null;
        for (var second = 0; second < 60 && rolledBack is null; second++)
        {
            await _harness.SecondAsync();
            // What a gate would see now, read independently of the driver.
            var figures = (await _harness.Metrics.GetServiceAsync(replica.Pipeline.Dashboard.Current, replica.Pipeline.Dashboard.Current.FindService("bookinfo", "reviews")!,
                plan.Gates.MetricsWindow, Cancel)).Subset("v2")!.Figures;
            if (firstFailingFigures is null && figures.SuccessRate < plan.Gates.MinSuccessRate && figures.RequestsPerSecond * plan.Gates.Window.TotalSeconds >= plan.Gates.MinRequests)
            {
                firstFailingFigures = _harness.Time.GetUtcNow();
            }
            var rollout = await replica.Rollouts.GetAsync(RolloutHarness.Reviews, Cancel);
            rolledBack = rollout!.Status.Phase == RolloutPhase.RolledBack ? rollout : null;
        }

        Assert.NotNull(firstFailingFigures);
        Assert.NotNull(rolledBack);
        Assert.InRange(rolledBack.Status.FinishedAt!.Value - firstFailingFigures.Value, TimeSpan.Zero, plan.Gates.Interval);
        Assert.Equal(["v1=100"], RolloutHarness.DefaultRoute(replica));
        var last = (await replica.RolloutHistoryAsync())[^1];
        Assert.Equal("alice", last.Author);
        Assert.Contains("rolled back", last.Reason);
        Assert.Matches(@"success rate \d+(\.\d+)?% \(threshold ≥ 95%\)", last.Reason);
        Assert.Contains("requests", last.Reason);
        Assert.Contains("success rate", rolledBack.Status.Message);
    }

    [Fact]
    public async Task Restart_MidStep_ResumesFromTheStep_WaitingOnlyTheRestOfItsPause()
    {
        var first = await _harness.StartReplicaAsync("replica-a");
        await first.Rollouts.StartAsync(RolloutHarness.HealthyPlan(), Cancel);
        var second = await _harness.UntilAsync(first, r => r.Status.Step == 1);
        var stepStarted = second.Status.StepStartedAt!.Value;
        for (var i = 0; i < 7; i++)
        {
            await _harness.SecondAsync();
        }

        // The process stops (giving its Lease back, as on SIGTERM) and a new one starts on the same cluster.
        await first.Driver.ReleaseAllAsync(Cancel);
        first.Running = false;
        var restarted = await _harness.StartReplicaAsync("replica-a-restarted");
        var third = await _harness.UntilAsync(restarted, r => r.Status.Step == 2);

        // Step 2 holds 10s: a rollout that started the step over would move on no earlier than 10s after the restart.
        Assert.Equal(1, restarted.Driver.Writes);
        Assert.InRange(third.Status.StepStartedAt!.Value - stepStarted, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10) + RolloutHarness.HealthyPlan().Gates.Interval + TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await restarted.RolloutHistoryAsync()).Count);
    }

    [Fact]
    public async Task TwoReplicas_NeverBothDrive_AndTheSecondTakesOverOnlyAfterTheFirstsLeaseExpires()
    {
        var a = await _harness.StartReplicaAsync("replica-a");
        var b = await _harness.StartReplicaAsync("replica-b");
        await b.Rollouts.StartAsync(RolloutHarness.HealthyPlan(), Cancel);

        await _harness.UntilAsync(a, r => r.Status.Step == 1);
        var leader = a.Driver.Leads(RolloutHarness.Reviews) ? a : b;
        var other = leader == a ? b : a;
        Assert.False(other.Driver.Leads(RolloutHarness.Reviews));
        Assert.Equal(0, other.Driver.Writes);

        // The leader dies without giving its Lease back: nobody drives until the Lease expires, then the other one does.
        leader.Running = false;
        var crashedAt = _harness.Time.GetUtcNow();
        var done = await _harness.UntilAsync(other, r => r.Status.IsFinal);

        Assert.Equal(RolloutPhase.Succeeded, done.Status.Phase);
        Assert.True(other.Driver.Writes > 0);
        var history = await other.RolloutHistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.Equal(3, leader.Driver.Writes + other.Driver.Writes);
        Assert.True(done.Status.StepStartedAt!.Value - crashedAt >= RolloutHarness.LeaseDuration);
    }

    [Fact]
    public async Task ReplicaThatLosesItsLease_StopsDrivingAtOnce()
    {
        var a = await _harness.StartReplicaAsync("replica-a");
        await a.Rollouts.StartAsync(RolloutHarness.HealthyPlan(), Cancel);
        await _harness.UntilAsync(a, r => r.Status.Step == 0);
        var writes = a.Driver.Writes;

        // Another holder takes the Lease (as a replica would after a partition): the first must not write again.
        using (var client = _harness.Sandbox.CreateClient())
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(RolloutStore.NameOf(RolloutHarness.Reviews), "meshdashboard", cancellationToken: Cancel);
            lease.Spec.HolderIdentity = "someone-else";
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, "meshdashboard", cancellationToken: Cancel);
        }
        for (var i = 0; i < 4; i++)
        {
            await _harness.SecondAsync();
        }

        Assert.False(a.Driver.Leads(RolloutHarness.Reviews));
        Assert.Equal(writes, a.Driver.Writes);
        Assert.Equal(0, (await a.Rollouts.GetAsync(RolloutHarness.Reviews, Cancel))!.Status.Step);
    }

    [Fact]
    public async Task OutsideEditOfTheVirtualService_PausesTheRollout_WithTheReason_AndItWritesNoMore()
    {
        var replica = await _harness.StartReplicaAsync("replica-a");
        await replica.Rollouts.StartAsync(RolloutHarness.HealthyPlan(), Cancel);
        var running = await _harness.UntilAsync(replica, r => r.Status.Step == 0 && !r.Status.OwnObjects.IsDefaultOrEmpty);

        (await _harness.Sandbox.Kubectl.RunAsync("patch", "virtualservice", "reviews", "-n", "bookinfo", "--type=json",
            "-p", """[{"op":"replace","path":"/spec/http/1/route/0/weight","value":70},{"op":"replace","path":"/spec/http/1/route/1/weight","value":30}]""")).EnsureSuccess();
        await replica.Pipeline.WaitForAsync(s => s.Find(Mesh.Kubernetes.ResourceKind.VirtualService, "bookinfo", "reviews")!.ResourceVersion != running.Status.OwnObjects.Single(o => o.StartsWith("VirtualService", StringComparison.Ordinal)).Split('@')[1]);
        var paused = await _harness.UntilAsync(replica, r => r.Status.Phase != RolloutPhase.Progressing, seconds: 3);
        var writes = replica.Driver.Writes;
        for (var i = 0; i < 15; i++)
        {
            await _harness.SecondAsync();
        }

        Assert.Equal(RolloutPhase.Paused, paused.Status.Phase);
        Assert.Contains("VirtualService bookinfo/reviews was changed", paused.Status.Message);
        Assert.Equal(writes, replica.Driver.Writes);
        Assert.Equal(["v1=70", "v2=30"], RolloutHarness.DefaultRoute(replica));
    }
}
