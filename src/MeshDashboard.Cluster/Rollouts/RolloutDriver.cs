using System.Collections.Immutable;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Rollouts;
using MeshDashboard.Mesh.Traffic;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Rollouts;

/// <summary>Every rollout this replica last read, by service: what the overview marks and the service page shows.</summary>
public sealed record RolloutBoard(ImmutableDictionary<ObjectRef, StoredRollout> Rollouts)
{
    public static RolloutBoard Empty { get; } = new(ImmutableDictionary<ObjectRef, StoredRollout>.Empty);

    public StoredRollout? Of(ObjectRef service) => Rollouts.GetValueOrDefault(service);

    public bool InProgress(ObjectRef service) => Of(service) is { Status.IsFinal: false };
}

/// <summary>
/// Drives the rollouts: each tick it reads them all from the cluster, and for each unfinished one whose Lease it holds
/// (or can take) it reads the canary's figures when a check is due, asks <see cref="RolloutStepper"/> what comes next,
/// writes the weights as an ordinary change through the pipeline (author: the person who started the plan), and
/// stores the new status. A replica that cannot renew a rollout's Lease does nothing to it, and it renews again right
/// before every write, so a replica that lost the Lease never writes.
/// </summary>
public sealed partial class RolloutDriver(RolloutStore store, RolloutLeases leases, IMeshDashboardClient dashboard, ITrafficMetrics metrics, TimeProvider time,
    ILogger<RolloutDriver> logger, IPromQlReader? promql = null)
{
    private readonly Lock _gate = new();
    private RolloutBoard _board = RolloutBoard.Empty;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;
    private string? _listFailure;

    public string Identity => leases.Identity;

    public RolloutBoard Board => Volatile.Read(ref _board);

    /// <summary>How many weight changes this replica has written for rollouts (a diagnostic tests use to see who drove).</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Whether this replica holds the rollout's Lease now.</summary>
    public bool Leads(ObjectRef service) => leases.Holds(RolloutStore.NameOf(service));

    /// <summary>The board now, then each time it changes.</summary>
    public async IAsyncEnumerable<RolloutBoard> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task next;
        RolloutBoard board;
        lock (_gate)
        {
            next = _next.Task;
            board = _board;
        }
        yield return board;
        while (true)
        {
            await next.WaitAsync(cancellationToken);
            lock (_gate)
            {
                next = _next.Task;
                board = _board;
            }
            yield return board;
        }
    }

    /// <summary>One pass over every rollout. Never throws for the cluster's failures: the next tick tries again.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredRollout> rollouts;
        try
        {
            rollouts = await store.ListAsync(cancellationToken);
        }
        catch (ClusterWriteException error)
        {
            // Once per distinct reason, not every tick: a cluster that refuses the list (RBAC) would fill the log.
            if (error.Message != _listFailure)
            {
                _listFailure = error.Message;
                LogListFailed(logger, error.Message);
            }
            return;
        }
        _listFailure = null;
        Publish(rollouts);
        foreach (var rollout in rollouts)
        {
            var name = RolloutStore.NameOf(rollout.Service);
            if (rollout.Status.IsFinal)
            {
                if (leases.Holds(name))
                {
                    await leases.ReleaseAsync(name, cancellationToken);
                }
                continue;
            }
            if (!await leases.TryHoldAsync(name, cancellationToken))
            {
                continue;
            }
            try
            {
                if (await DriveAsync(rollout, name, cancellationToken) is { } written)
                {
                    Publish([.. Board.Rollouts.Values.Where(r => r.Service != written.Service), written]);
                }
            }
            catch (ClusterWriteException error)
            {
                LogDriveFailed(logger, rollout.Service.Namespace, rollout.Service.Name, error.Message);
            }
        }
    }

    /// <summary>Gives back every Lease this replica holds, so another replica goes on at once (a graceful shutdown).</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        foreach (var name in leases.HeldNames())
        {
            await leases.ReleaseAsync(name, cancellationToken);
        }
    }

    private async Task<StoredRollout?> DriveAsync(StoredRollout rollout, string leaseName, CancellationToken cancellationToken)
    {
        var plan = rollout.Plan;
        var status = rollout.Status;
        var now = time.GetUtcNow();
        var state = dashboard.Current;
        var service = state.FindService(plan.Service.Namespace, plan.Service.Name);
        var live = service is null ? [] : RolloutStepper.ObjectsOf(service);
        if (status.OwnObjects.IsDefaultOrEmpty && status.Step >= 0 && status.Phase == RolloutPhase.Progressing)
        {
            // The objects after the last write were not known (the watch was slow); what is live now is the rollout's.
            status = status with { OwnObjects = live };
        }
        if (service is null)
        {
            var gone = status with { Phase = RolloutPhase.Aborted, FinishedAt = now, Message = $"Stopped: the service {plan.Service.Namespace}/{plan.Service.Name} no longer exists." };
            return await store.WriteStatusAsync(plan.Service, gone, cancellationToken);
        }

        ImmutableArray<GateResult>? gates = null;
        if (rollout.PendingCommand is null && RolloutStepper.GateCheckDue(plan, status, now) && (status.OwnObjects.IsDefaultOrEmpty || status.OwnObjects.SequenceEqual(live)))
        {
            gates = await CheckGatesAsync(plan, state, service, now, cancellationToken);
        }
        var decision = RolloutStepper.Decide(plan, status, rollout.PendingCommand, now, live, gates);
        var next = decision.Status;
        if (decision.Write is { } write)
        {
            // Renewed right before the write: a replica that lost the Lease since the tick began writes nothing.
            if (!await leases.TryHoldAsync(leaseName, cancellationToken))
            {
                return null;
            }
            var outcome = await dashboard.ApplyAsync(new SetWeights(plan.Service, plan.WeightsAt(write.CanaryWeight)), new ChangeRequest(plan.StartedBy, write.Reason), cancellationToken);
            Interlocked.Increment(ref _writes);
            if (outcome.Succeeded)
            {
                var after = dashboard.Current.FindService(plan.Service.Namespace, plan.Service.Name) is { } changed ? RolloutStepper.ObjectsOf(changed) : [];
                next = next with
                {
                    // Unchanged objects after an applied change mean the watch has not shown it yet: the next tick takes the live ones.
                    OwnObjects = outcome.Status == ChangeStatus.Applied && after.SequenceEqual(live) ? [] : after,
                    Revisions = outcome.Revision is { } revision ? [.. status.Revisions, revision] : status.Revisions,
                };
                LogStep(logger, plan.Service.Namespace, plan.Service.Name, write.CanaryWeight, outcome.Revision ?? "unchanged");
            }
            else if (outcome.Status is ChangeStatus.Unreachable or ChangeStatus.Failed)
            {
                // Nothing changed for good: the same decision is taken again at the next tick.
                next = status with { Message = $"Could not write {write.CanaryWeight}% to {plan.Canary}, trying again: {outcome.Message}" };
            }
            else
            {
                // Refused (someone else's edit in between, another controller took the service, the cluster said no): a person decides.
                next = status with
                {
                    Phase = RolloutPhase.Paused,
                    ServedBeforePause = status.StepStartedAt is { } started ? now - started : TimeSpan.Zero,
                    HandledCommand = decision.Status.HandledCommand,
                    Message = $"Paused: writing {write.CanaryWeight}% to {plan.Canary} was refused ({outcome.Status}): {outcome.Message}",
                };
            }
        }
        return next == rollout.Status ? null : await store.WriteStatusAsync(plan.Service, next, cancellationToken);
    }

    private async Task<ImmutableArray<GateResult>> CheckGatesAsync(RolloutPlan plan, MeshState state, MeshService service, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var traffic = await metrics.GetServiceAsync(state, service, plan.Gates.MetricsWindow, cancellationToken);
        var canary = traffic.Availability == TrafficAvailability.Live ? traffic.Subset(plan.Canary)?.Figures ?? TrafficFigures.Idle : null;
        var readings = new List<PromQlReading>();
        foreach (var gate in plan.Gates.PromQl.IsDefault ? [] : plan.Gates.PromQl)
        {
            if (promql is null)
            {
                readings.Add(new PromQlReading(gate, null, "needs Prometheus (Metrics:PrometheusUrl)"));
                continue;
            }
            try
            {
                readings.Add(new PromQlReading(gate, await promql.ReadNumberAsync(gate.Query, now, cancellationToken), null));
            }
            catch (Exception error) when (error is PrometheusException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                readings.Add(new PromQlReading(gate, null, error.Message));
            }
        }
        return GateEvaluator.Evaluate(plan.Gates, canary, traffic.Reason, readings);
    }

    private void Publish(IEnumerable<StoredRollout> rollouts)
    {
        var board = new RolloutBoard(rollouts.ToImmutableDictionary(r => r.Service));
        lock (_gate)
        {
            var same = board.Rollouts.Count == _board.Rollouts.Count
                && board.Rollouts.All(p => _board.Rollouts.TryGetValue(p.Key, out var known) && known.ResourceVersion == p.Value.ResourceVersion);
            if (same)
            {
                return;
            }
            _board = board;
            var released = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            released.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the rollouts failed; trying again at the next tick: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Driving the rollout of {Namespace}/{Service} failed; trying again at the next tick: {Reason}")]
    private static partial void LogDriveFailed(ILogger logger, string @namespace, string service, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout of {Namespace}/{Service}: canary at {Weight}% ({Revision})")]
    private static partial void LogStep(ILogger logger, string @namespace, string service, int weight, string revision);
}
