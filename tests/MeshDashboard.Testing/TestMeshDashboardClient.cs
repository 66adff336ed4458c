using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Testing;

/// <summary>
/// A hand-written stand-in for the cluster, for component tests: the test publishes mesh states, and
/// previews are computed by the real operations on the current snapshot; applies are recorded and
/// answered with <see cref="NextOutcome"/>.
/// </summary>
public sealed class TestMeshDashboardClient : IMeshDashboardClient
{
    private readonly Lock _gate = new();
    private readonly List<Channel<MeshState>> _subscribers = [];
    private MeshState _current;

    public TestMeshDashboardClient(MeshSnapshot snapshot)
    {
        _current = new MeshState(snapshot);
    }

    public ClusterInfo Cluster { get; init; } = new("test", ClusterMode.Sandbox, "http://127.0.0.1:1/");

    public bool IsReady { get; set; } = true;

    public MeshState Current => _current;

    public List<(ITrafficOperation Operation, ChangeRequest Request)> Applied { get; } = [];

    public List<ITrafficOperation> Previewed { get; } = [];

    public List<ChangeRequest> PreviewRequests { get; } = [];

    /// <summary>What the next apply answers; by default success.</summary>
    public ChangeOutcome NextOutcome { get; set; } = new(ChangeStatus.Applied, "Applied.") { Revision = "r1" };

    public DryRunVerdict DryRun { get; set; } = new(true, "The API server accepted every write (dry run).");

    public List<HistoryEntry> History { get; } = [];

    /// <summary>When set, previews are refused with these field errors, as a real client does for invalid input.</summary>
    public IReadOnlyList<FieldError>? RejectPreviewWith { get; set; }

    /// <summary>When set, previews fail with this exception (the cluster cannot be reached, say).</summary>
    public Exception? PreviewFailure { get; set; }

    public void Publish(MeshSnapshot snapshot) => Publish(new MeshState(snapshot, _current.Health));

    /// <summary>The cluster stops (or starts again) answering: pages get the same snapshot with the news.</summary>
    public void Publish(ConnectionHealth health) => Publish(_current.WithHealth(health));

    private void Publish(MeshState state)
    {
        lock (_gate)
        {
            _current = state;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(_current);
            }
        }
    }

    public async IAsyncEnumerable<MeshState> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<MeshState>();
        lock (_gate)
        {
            channel.Writer.TryWrite(_current);
            _subscribers.Add(channel);
        }
        await foreach (var state in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return state;
        }
    }

    /// <summary>What <see cref="WhyCannotChangeAsync"/> answers; null lets the caller change.</summary>
    public string? CannotChangeReason { get; set; }

    public Task<string?> WhyCannotChangeAsync(ObjectRef service, CancellationToken cancellationToken) => Task.FromResult(CannotChangeReason);

    public string VersionOf(MeshService service) => "\"test-" + string.Join("-", service.Routes.Select(r => r.VirtualService.Source.ResourceVersion)) + "\"";

    public Task<ChangePreview> PreviewAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        Previewed.Add(operation);
        PreviewRequests.Add(request);
        if (RejectPreviewWith is { } errors)
        {
            throw new OperationException(errors);
        }
        if (PreviewFailure is { } failure)
        {
            throw failure;
        }
        var plan = operation.Plan(_current.Snapshot);
        var objects = plan.Changes.Select(c => new ObjectDiff(
            c.Target,
            c.Before is null ? ObjectAction.Create : c.After is null ? ObjectAction.Delete : ObjectAction.Update,
            YamlText.ForReview(c.Before?.Raw),
            YamlText.ForReview(c.After),
            $"--- {c.Target}\n+++ {c.Target}\n-{c.Before?.Raw.ToJsonString()}\n+{c.After?.ToJsonString()}\n")).ToImmutableArray();
        // The states before and after, as the pipeline hands them to the preview's request simulator.
        var after = plan.Changes.Aggregate(_current.Snapshot, (snapshot, c) => c.After is null ? snapshot.Without(c.Target) : snapshot.With(new KubeObject(c.Target.Kind, c.After)));
        return Task.FromResult(new ChangePreview(operation.Service, plan.Summary, objects, [], DryRun, "\"test\"") { Before = _current.Snapshot, After = after });
    }

    public Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        Applied.Add((operation, request));
        return Task.FromResult(NextOutcome);
    }

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(ObjectRef service, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HistoryEntry>>(History);

    public Task<IReadOnlyList<RecentChange>> GetRecentChangesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Current.RecentChanges);

    public Task<ITrafficOperation> RollbackOperationAsync(ObjectRef service, string? revision, CancellationToken cancellationToken) =>
        Task.FromResult<ITrafficOperation>(new RestoreObjects(service, $"Roll back {service.Name}" + (revision is null ? "" : $" to {revision}"), []));
}
