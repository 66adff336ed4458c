using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class TrafficSplitModelTests
{
    [Fact]
    public void From_ReadsTheCatchAllRuleAsCurrentWeights()
    {
        var model = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews));

        Assert.Equal(["v1", "v2", "v3"], model.Subsets);
        Assert.Equal(100, model.CurrentOf("v1"));
        Assert.Equal(0, model.CurrentOf("v2"));
        Assert.False(model.IsChanged);
        Assert.False(model.CanApply);
    }

    [Fact]
    public void Move_RebalancesTheUnlockedOthersSoTheTotalStays100()
    {
        var model = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)).Move("v2", 30);

        Assert.Equal(70, model.ProposedOf("v1"));
        Assert.Equal(30, model.ProposedOf("v2"));
        Assert.Equal(0, model.ProposedOf("v3"));
        Assert.True(model.CanApply);
    }

    [Fact]
    public void Move_LeavesLockedSubsetsAlone()
    {
        var model = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)).Even().ToggleLock("v1").Move("v2", 50);

        Assert.Equal(34, model.ProposedOf("v1"));
        Assert.Equal(50, model.ProposedOf("v2"));
        Assert.Equal(16, model.ProposedOf("v3"));
    }

    [Fact]
    public void Even_SplitsOneHundredWithTheRemainderFirst()
    {
        var model = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)).ToggleLock("v1").Even();

        Assert.Equal([34, 33, 33], model.Subsets.Select(model.ProposedOf));
        Assert.Empty(model.Locked);
    }

    [Fact]
    public void ToOperation_WritesTheProposedWeightsInSubsetOrder()
    {
        var operation = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.MyApp)).AllTo("v2").ToOperation(DemoSnapshot.MyApp);

        var weights = Assert.IsType<SetWeights>(operation).Weights;
        Assert.Equal(["v1", "v2"], weights.Keys);
        Assert.Equal(100, weights["v2"]);
    }

    [Fact]
    public void AMirroredSubset_IsShownAsACopy_NotAsAShare()
    {
        var snapshot = DemoSnapshot.Build(o =>
        {
            if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
            {
                var catchAll = o["spec"]!["http"]!.AsArray().Last()!.AsObject();
                catchAll["mirror"] = new System.Text.Json.Nodes.JsonObject { ["host"] = "reviews", ["subset"] = "v3" };
                catchAll["mirrorPercentage"] = new System.Text.Json.Nodes.JsonObject { ["value"] = 20 };
            }
            return o;
        });

        var model = TrafficSplitModel.From(DemoSnapshot.Service(snapshot, DemoSnapshot.Reviews));

        Assert.Equal(0, model.CurrentOf("v3"));
        Assert.Equal(20, model.MirroredOf("v3"));
        Assert.Null(model.MirroredOf("v1"));
        Assert.Equal(100, model.CurrentOf("v1"));
    }

    [Fact]
    public void ATcpRoute_ShowsItsSplit_AndWritesSetTcpWeightsWithItsFingerprint()
    {
        var service = DemoSnapshot.Service(Components.TcpSplitAndPreviewSimulationTests.WithTcpRatings(), new ObjectRef(ResourceKind.Service, "bookinfo", "ratings"));
        var route = service.MeshRoute!.VirtualService.Tcp[0];

        var model = TrafficSplitModel.FromTcp(service, route);
        var operation = Assert.IsType<SetTcpWeights>(model.Move("v1", 50).ToOperation(service.Ref));

        Assert.Equal(80, model.CurrentOf("v1"));
        Assert.Equal(20, model.CurrentOf("v2"));
        Assert.Equal(0, operation.Route);
        Assert.Equal(route.Fingerprint, operation.Fingerprint);
        Assert.Equal(50, operation.Weights["v2"]);
    }

    [Fact]
    public void Follow_ShowsTheNewCurrentSplit_AndKeepsTheProposal()
    {
        var opened = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)).Move("v2", 30);
        var now = opened with { Current = opened.Current.SetItem("v1", 50).SetItem("v3", 50) };

        var followed = opened.Follow(now);

        Assert.Equal(50, followed.CurrentOf("v3"));
        Assert.Equal(30, followed.ProposedOf("v2"));
        Assert.Equal(70, followed.ProposedOf("v1"));
    }

    [Fact]
    public void Follow_AnUntouchedFormProposesTheNewCurrentSplit()
    {
        var opened = TrafficSplitModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews));
        var now = opened with { Current = opened.Current.SetItem("v1", 50).SetItem("v3", 50) };

        var followed = opened.Follow(now);

        Assert.Equal(50, followed.ProposedOf("v3"));
        Assert.False(followed.IsChanged);
    }
}
