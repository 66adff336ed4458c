using System.Text.Json.Nodes;
using k8s;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.History;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>
/// Every multi-object change, interrupted at every write it makes (journal, journal marked writing, each object, history,
/// recent changes, journal close) by every kind of fault (the cluster goes away, an answer is lost or cut short, a 500, the process dies). After
/// journal recovery the change is never torn, and a change that stands is in the history exactly once.
/// </summary>
public sealed class FaultInjectionTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");
    private static readonly ObjectRef Ratings = new(ResourceKind.Service, "bookinfo", "ratings");
    private static readonly ChangeRequest ByAlice = new("alice", "release 2.0");

    /// <summary>Journal open, journal marked writing, two object writes, history, recent changes, journal close.</summary>
    private const int WritesPerTwoObjectChange = 7;

    public static TheoryData<int, Fault> EveryWriteAndFault()
    {
        var data = new TheoryData<int, Fault>();
        for (var position = 1; position <= WritesPerTwoObjectChange; position++)
        {
            foreach (var fault in Enum.GetValues<Fault>())
            {
                data.Add(position, fault);
            }
        }
        return data;
    }

    /// <summary>Another replica (or this one before a crash) whose connection to the cluster fails as told.</summary>
    private (ChangePipeline Pipeline, FaultInjectingHandler Handler, IKubernetes Client) FaultyReplica(int failAt, Fault fault)
    {
        var handler = new FaultInjectingHandler(failAt, fault);
        var client = Sandbox.CreateClient(handler);
        var options = new HistoryOptions();
        var pipeline = new ChangePipeline(Harness.Cache, new ClusterWriter(client), new ChangeHistoryStore(client, Harness.Cache, options, TimeProvider.System),
            new ChangeJournal(client, options), new RunningChanges(), TimeProvider.System, NullLogger<ChangePipeline>.Instance);
        return (pipeline, handler, client);
    }

    /// <summary>
    /// Applies the change through the faulty replica and waits for its answer; a killed process never answers, so its
    /// task is abandoned at the fault (and any other fault is waited out, or the test would race the pipeline).
    /// </summary>
    private static async Task InterruptedAsync(ChangePipeline pipeline, FaultInjectingHandler handler, ITrafficOperation operation, Fault fault)
    {
        var apply = pipeline.ApplyAsync(operation, ByAlice, TestContext.Current.CancellationToken);
        await Task.WhenAny(apply, handler.Reached);
        Assert.True(handler.Reached.IsCompleted, $"the change made only {handler.Writes.Count} write(s): {string.Join(", ", handler.Writes)}");
        if (fault == Fault.ProcessKilled && !apply.IsCompleted)
        {
            // The process is dead mid-change; nothing it would still do may count.
            return;
        }
        await apply;
    }

    private async Task<string?> ServedSubsetAsync(string name)
    {
        var vs = await Harness.Writer.GetAsync(new ObjectRef(ResourceKind.VirtualService, "myapp", name), Cancel);
        var route = (vs!["spec"]!["http"]![0]!["route"] as JsonArray)!;
        return (string?)route.OrderByDescending(d => (int?)d!["weight"] ?? 100).First()!["destination"]!["subset"];
    }

    private async Task<int> RecordedByAliceAsync(ObjectRef service) =>
        (await Harness.History.ReadAsync(service, Cancel)).Count(e => !e.IsBaseline && e.Author == "alice");

    private async Task RecoverAndCheckNothingIsLeftOpenAsync(FaultInjectingHandler handler)
    {
        await Harness.Recovery.RecoverAsync(TimeSpan.Zero, Cancel);
        handler.Bury();
        Assert.Empty(await Harness.Journal.ListOpenAsync(Cancel));
    }

    [Theory]
    [MemberData(nameof(EveryWriteAndFault))]
    public async Task BlueGreenSwitch_InterruptedAnywhere_NeverLeavesBothHostsOnOneSubset(int failAt, Fault fault)
    {
        var (pipeline, handler, client) = FaultyReplica(failAt, fault);
        using var _ = client;

        await InterruptedAsync(pipeline, handler, new SwitchBlueGreen(MyApp, "v1"), fault);
        await RecoverAndCheckNothingIsLeftOpenAsync(handler);

        var live = await ServedSubsetAsync("myapp-public");
        var preview = await ServedSubsetAsync("myapp-preview");
        Assert.NotEqual(live, preview);
        Assert.Equal(live == "v1" ? 1 : 0, await RecordedByAliceAsync(MyApp));
    }

    [Theory]
    [MemberData(nameof(EveryWriteAndFault))]
    public async Task RoutingSetUp_InterruptedAnywhere_LeavesBothObjectsOrNeither(int failAt, Fault fault)
    {
        var (pipeline, handler, client) = FaultyReplica(failAt, fault);
        using var _ = client;

        await InterruptedAsync(pipeline, handler, new CreateRouting(Ratings), fault);
        await RecoverAndCheckNothingIsLeftOpenAsync(handler);

        var dr = await Harness.Writer.GetAsync(new ObjectRef(ResourceKind.DestinationRule, "bookinfo", "ratings"), Cancel);
        var vs = await Harness.Writer.GetAsync(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "ratings"), Cancel);
        Assert.Equal(dr is null, vs is null);
        Assert.Equal(vs is null ? 0 : 1, await RecordedByAliceAsync(Ratings));
    }

    [Theory]
    [MemberData(nameof(EveryWriteAndFault))]
    public async Task RollbackOfASwitch_InterruptedAnywhere_NeverLeavesBothHostsOnOneSubset(int failAt, Fault fault)
    {
        Assert.Equal(ChangeStatus.Applied, (await Harness.Pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v1"), ByAlice, Cancel)).Status);
        var rollback = await Harness.Dashboard.RollbackOperationAsync(MyApp, revision: null, Cancel);
        var (pipeline, handler, client) = FaultyReplica(failAt, fault);
        using var _ = client;

        await InterruptedAsync(pipeline, handler, rollback, fault);
        await RecoverAndCheckNothingIsLeftOpenAsync(handler);

        var live = await ServedSubsetAsync("myapp-public");
        var preview = await ServedSubsetAsync("myapp-preview");
        Assert.NotEqual(live, preview);
        // The switch is recorded once; the rollback once more when it stands (public back on v2).
        Assert.Equal(live == "v2" ? 2 : 1, await RecordedByAliceAsync(MyApp));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AJournalWhoseAnswerWasLost_ThenARetry_IsRecordedOnce(int failAt)
    {
        // The journal (or its "writing" mark) reaches the cluster but the answer is lost: the person is told nothing was
        // written, and asks again once the cluster is back. Seen by hand with kill -9; here deterministic.
        var (pipeline, handler, client) = FaultyReplica(failAt, Fault.AnswerLostThenOutage);
        using var _ = client;
        var lost = await pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v1"), ByAlice, Cancel);
        Assert.Contains("Nothing was written", lost.Message);

        var retry = await Harness.Pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v1"), ByAlice, Cancel);
        await RecoverAndCheckNothingIsLeftOpenAsync(handler);

        Assert.Equal(ChangeStatus.Applied, retry.Status);
        Assert.Equal("v1", await ServedSubsetAsync("myapp-public"));
        Assert.Equal("v2", await ServedSubsetAsync("myapp-preview"));
        Assert.Equal(1, await RecordedByAliceAsync(MyApp));
    }

    /// <summary>"PATCH /apis/networking.istio.io/v1/namespaces/myapp/virtualservices/myapp" → "PATCH virtualservices".</summary>
    private static string MethodAndResource(string write)
    {
        var parts = write.Split(' ');
        var path = parts[1].Split('/');
        return $"{parts[0]} {path[Array.IndexOf(path, "namespaces") + 2]}";
    }

    [Fact]
    public async Task TheEvent_IsSentAfterTheAnswer_AndOneThatNeverReturns_IsLoggedAndChangesNothingElse()
    {
        // One client for the whole change: its seventh write, the Event, never returns until the test breaks it off.
        var handler = new FaultInjectingHandler(failAt: 7, Fault.ProcessKilled);
        using var client = Sandbox.CreateClient(handler);
        var logs = new CapturingLoggerProvider();
        using var loggers = new LoggerFactory([logs]);
        var options = new HistoryOptions();
        var events = new ChangeEvents(client, TimeProvider.System, loggers.CreateLogger<ChangeEvents>());
        var pipeline = new ChangePipeline(Harness.Cache, new ClusterWriter(client), new ChangeHistoryStore(client, Harness.Cache, options, TimeProvider.System),
            new ChangeJournal(client, options), new RunningChanges(), TimeProvider.System, NullLogger<ChangePipeline>.Instance, events);

        var outcome = await pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 60, ["v2"] = 40 }), ByAlice, Cancel);
        await handler.Reached;
        var journalOpen = await Harness.Journal.ListOpenAsync(Cancel);
        handler.Bury();
        await events.WhenRecordedAsync();

        // The change answered while its Event was still unwritten: whole, recorded once, its journal closed.
        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Empty(journalOpen);
        Assert.Equal(1, await RecordedByAliceAsync(MyApp));
        // The service's first change: its history and the recent-changes list are created.
        Assert.Equal(
            ["POST configmaps", "PATCH configmaps", "PATCH virtualservices", "POST configmaps", "POST configmaps", "DELETE configmaps", "POST events"],
            handler.Writes.Select(MethodAndResource));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("could not be recorded", StringComparison.Ordinal));
        Assert.Empty((await Harness.Client.CoreV1.ListNamespacedEventAsync("myapp", cancellationToken: Cancel)).Items);
    }

    [Fact]
    public async Task AWriteWhoseAnswerIsLost_IsReadBack_AndTheChangeGoesOn()
    {
        // The first VirtualService write lands but its answer is lost; the cluster stays up (a reset connection).
        var (pipeline, handler, client) = FaultyReplica(failAt: 3, Fault.ServerError);
        using var _ = client;

        var outcome = await pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v1"), ByAlice, Cancel);

        // A 500 from the server means "not applied" here, and the read-back shows it: the change is undone whole.
        Assert.NotEqual(ChangeStatus.Applied, outcome.Status);
        Assert.Equal("v2", await ServedSubsetAsync("myapp-public"));
        Assert.Equal("v1", await ServedSubsetAsync("myapp-preview"));
        Assert.Empty(await Harness.Journal.ListOpenAsync(Cancel));
    }
}
