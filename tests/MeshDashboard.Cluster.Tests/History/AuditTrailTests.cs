using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Tests.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Cluster.Tests.History;

/// <summary>The history is an audit trail: nobody can push entries out of it by the size of their own.</summary>
public sealed class AuditTrailTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    private static readonly ObjectRef Dr = new(ResourceKind.DestinationRule, "myapp", "myapp");

    private static RecordedObject Recorded(int i) =>
        new(Dr, new JsonObject { ["spec"] = new JsonObject { ["host"] = "myapp", ["n"] = i } }, new JsonObject { ["spec"] = new JsonObject { ["host"] = "myapp", ["n"] = i + 1 } });

    [Fact]
    public async Task AHundredChangesWithTheLongestReasons_AreAllKept_WithTheBaseline()
    {
        var longest = new string('r', ChangeRequest.MaxReasonLength);
        for (var i = 0; i < 100; i++)
        {
            await Harness.History.AppendAsync(MyApp, "alice", $"change {i}", longest, [Recorded(i)], [Recorded(-1)], Cancel);
        }

        var entries = await Harness.History.ReadAsync(MyApp, Cancel);

        Assert.Equal(101, entries.Count);
        Assert.True(entries[0].IsBaseline);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"change {i}"), entries.Skip(1).Select(e => e.Summary));
    }

    [Fact]
    public async Task BeyondTheCount_OnlyTheOldestChangeGoes_AndTheBaselineStays()
    {
        var history = new ChangeHistoryStore(Harness.Client, Harness.Cache, new HistoryOptions { MaxEntries = 3 }, TimeProvider.System);
        for (var i = 0; i < 5; i++)
        {
            await history.AppendAsync(MyApp, "alice", $"change {i}", null, [Recorded(i)], [Recorded(-1)], Cancel);
        }

        var entries = await history.ReadAsync(MyApp, Cancel);

        Assert.Equal(["r000000", "r000003", "r000004", "r000005"], entries.Select(e => e.Revision));
    }

    [Fact]
    public async Task AReasonLongerThanTheLimit_IsRefused_AndNothingIsWritten()
    {
        var before = Harness.Cache.Current.Find(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp"))!.ResourceVersion;

        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }),
            new ChangeRequest("alice", new string('r', ChangeRequest.MaxReasonLength + 1)), Cancel);

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        Assert.Equal("reason", Assert.Single(outcome.Errors).Field);
        Assert.Equal(before, Harness.Cache.Current.Find(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp"))!.ResourceVersion);
        Assert.Empty(await Harness.History.ReadAsync(MyApp, Cancel));
    }
}
