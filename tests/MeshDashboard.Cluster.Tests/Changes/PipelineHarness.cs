using k8s;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>The production change path (watch cache, pipeline, history) against a sandbox over HTTP.</summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private MeshWatchService? _watch;

    private PipelineHarness(TestSandbox sandbox, IKubernetes client)
    {
        Sandbox = sandbox;
        Client = client;
        Writer = new ClusterWriter(client);
        History = new ChangeHistoryStore(client, Cache, new HistoryOptions(), TimeProvider.System);
        Journal = new ChangeJournal(client, new HistoryOptions());
        Events = new ChangeEvents(client, TimeProvider.System);
        Pipeline = new ChangePipeline(Cache, Writer, History, Journal, Running, TimeProvider.System, NullLogger<ChangePipeline>.Instance, Events);
        Recovery = new JournalRecovery(Journal, Writer, History, Running, TimeProvider.System, NullLogger<JournalRecovery>.Instance);
        Dashboard = new MeshDashboardClient(Cache, new ClusterInfo("test", ClusterMode.Sandbox, ""), Pipeline, History, new AccessReviewer(client, NullLogger<AccessReviewer>.Instance));
    }

    public TestSandbox Sandbox { get; }

    public IKubernetes Client { get; }

    public MeshCache Cache { get; } = new();

    public ClusterWriter Writer { get; }

    public ChangeHistoryStore History { get; }

    public ChangePipeline Pipeline { get; }

    public ChangeJournal Journal { get; }

    /// <summary>The pipeline's events, written after a change answers (wait with <see cref="ChangeEvents.WhenRecordedAsync"/>).</summary>
    public ChangeEvents Events { get; }

    public RunningChanges Running { get; } = new();

    public JournalRecovery Recovery { get; }

    public MeshDashboardClient Dashboard { get; }

    public static async Task<PipelineHarness> StartAsync(TestSandbox sandbox)
    {
        var harness = new PipelineHarness(sandbox, sandbox.CreateClient());
        harness._watch = new MeshWatchService(harness.Client, harness.Cache, new HistoryOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        await harness._watch.StartAsync(TestContext.Current.CancellationToken);
        await harness.Cache.WaitForSyncAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>A second replica whose watch is stuck at the given snapshot (it never sees later changes).</summary>
    public PipelineHarness StaleReplica(MeshSnapshot frozen)
    {
        var replica = new PipelineHarness(Sandbox, Client);
        replica.Cache.ReplaceAll(frozen);
        return replica;
    }

    public async Task<MeshSnapshot> WaitForAsync(Func<MeshSnapshot, bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var snapshot in Cache.SubscribeAsync(timeout.Token))
        {
            if (condition(snapshot))
            {
                return snapshot;
            }
        }
        throw new InvalidOperationException("subscription ended");
    }

    public async ValueTask DisposeAsync()
    {
        if (_watch is not null)
        {
            await _watch.StopAsync(CancellationToken.None);
            _watch.Dispose();
            Client.Dispose();
        }
    }
}
