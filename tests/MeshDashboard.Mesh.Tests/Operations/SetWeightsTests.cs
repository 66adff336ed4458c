using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetWeightsTests
{
    private static Dictionary<string, int> W(params (string Subset, int Weight)[] weights) => weights.ToDictionary(w => w.Subset, w => w.Weight);

    [Fact]
    public void SetWeights_KeepsTheOrderOfDestinationsAndAppendsANewSubset()
    {
        var plan = new SetWeights(Reviews, W(("v3", 20), ("v1", 80))).Plan(Bookinfo());

        var change = plan.Single();
        Assert.Equal("reviews: weights v3 20%, v1 80%", plan.Summary);
        var route = change.After.At("spec.http[2].route")!.AsArray();
        Assert.Equal(2, route.Count);
        Assert.Equal("v1", route[0].At("destination.subset")!.GetValue<string>());
        Assert.Equal(80, route[0]!["weight"]!.GetValue<int>());
        Assert.Equal("v3", route[1].At("destination.subset")!.GetValue<string>());
        Assert.Equal(20, route[1]!["weight"]!.GetValue<int>());
        Assert.Equal("reviews", route[1].At("destination.host")!.GetValue<string>());
    }

    [Fact]
    public void SetWeights_KeepsRetriesAndCors()
    {
        var snapshot = Bookinfo();
        var before = snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!;
        var change = new SetWeights(Reviews, W(("v1", 50), ("v2", 50))).Plan(snapshot).Single();

        var after = change.After!;
        foreach (var field in new[] { "retries", "timeout", "corsPolicy", "headers" })
        {
            Assert.Equal(before.Raw.At($"spec.http[2].{field}").Json(), after.At($"spec.http[2].{field}").Json());
        }
        Assert.Equal(before.Raw.At("spec.http[0]").Json(), after.At("spec.http[0]").Json());
        Assert.Equal(before.Raw.At("spec.http[1]").Json(), after.At("spec.http[1]").Json());
        Assert.Equal("[\".\"]", after.At("spec.exportTo").Json());
        Assert.Equal("books", after.At("metadata.labels.team")!.GetValue<string>());
        Assert.Equal("keep me", after.At("metadata.annotations.note")!.GetValue<string>());
        Assert.Equal("100", after.At("metadata.resourceVersion")!.GetValue<string>());
    }

    [Fact]
    public void SetWeights_KeepsDestinationFieldsOfSubsetsThatRemain()
    {
        var change = new SetWeights(Reviews, W(("v1", 60), ("v2", 40))).Plan(Bookinfo()).Single();

        var v1 = change.After.At("spec.http[2].route[0]")!;
        Assert.Equal(9080, v1.At("destination.port.number")!.GetValue<int>());
        Assert.Equal("default", v1.At("headers.request.set.x-route")!.GetValue<string>());
        Assert.Null(change.After.At("spec.http[2].route[1].headers"));
    }

    [Fact]
    public void SetWeights_WritesASoleDestinationWithoutWeight()
    {
        var change = new SetWeights(Reviews, W(("v2", 100), ("v1", 0))).Plan(Bookinfo()).Single();

        var route = change.After.At("spec.http[2].route")!.AsArray();
        var only = Assert.Single(route);
        Assert.Equal("v2", only.At("destination.subset")!.GetValue<string>());
        Assert.Null(only!["weight"]);
    }

    [Fact]
    public void SetWeights_DoesNotMutateTheSnapshot()
    {
        var snapshot = Bookinfo();
        var before = snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!.Raw.ToJsonString();

        _ = new SetWeights(Reviews, W(("v1", 50), ("v2", 50))).Plan(snapshot);

        Assert.Equal(before, snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!.Raw.ToJsonString());
    }

    [Fact]
    public void SetWeights_LeavesOutObjectsThatWouldNotChange()
    {
        var plan = new SetWeights(Reviews, W(("v1", 100))).Plan(Bookinfo());

        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void SetWeights_CreatesAMeshVirtualServiceWhenThereIsNone()
    {
        var plan = new SetWeights(Reviews, W(("v1", 90), ("v2", 10))).Plan(Bookinfo(vs: null));

        var change = plan.Single();
        Assert.Null(change.Before);
        Assert.Equal(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "reviews"), change.Target);
        var expected = JsonNode.Parse("""
            {"hosts": ["reviews"], "http": [{"name": "default", "route": [
              {"destination": {"host": "reviews", "subset": "v1"}, "weight": 90},
              {"destination": {"host": "reviews", "subset": "v2"}, "weight": 10}]}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, change.After!["spec"]), change.After!["spec"].Json());
        Assert.Equal("networking.istio.io/v1", change.After["apiVersion"]!.GetValue<string>());
        Assert.Equal("bookinfo", change.After.At("metadata.namespace")!.GetValue<string>());
    }

    [Fact]
    public void SetWeights_FindsTheVirtualServiceByFqdnHostAndSpellsANewDestinationTheSameWay()
    {
        var vs = """{"hosts": ["reviews.bookinfo.svc.cluster.local"], "http": [{"route": [{"destination": {"host": "reviews.bookinfo.svc.cluster.local", "subset": "v1"}}]}]}""";
        var change = new SetWeights(Reviews, W(("v1", 50), ("v3", 50))).Plan(Bookinfo(vs)).Single();

        Assert.NotNull(change.Before);
        Assert.Equal("reviews.bookinfo.svc.cluster.local", change.After.At("spec.http[0].route[1].destination.host")!.GetValue<string>());
    }

    [Fact]
    public void SetWeights_IgnoresGatewayOnlyVirtualServices()
    {
        var gatewayOnly = """{"hosts": ["reviews"], "gateways": ["some-gateway"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""";
        var change = new SetWeights(Reviews, W(("v2", 100))).Plan(Bookinfo(vs: null).With(Vs("bookinfo", "reviews-edge", gatewayOnly))).Single();

        Assert.Null(change.Before);
        Assert.Equal("reviews", change.Target.Name);
    }

    [Fact]
    public void SetWeights_RefusesToCreateOverAnotherVirtualServiceOfTheSameName()
    {
        var gatewayOnly = """{"hosts": ["reviews"], "gateways": ["some-gateway"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""";

        FailsOn(new SetWeights(Reviews, W(("v2", 100))), Bookinfo(gatewayOnly), "service", "taken");
    }

    [Fact]
    public void SetWeights_AppendsADefaultRuleWhenNoRuleIsCatchAll()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"name": "tester", "match": [{"headers": {"end-user": {"exact": "tester"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]}""";
        var change = new SetWeights(Reviews, W(("v1", 100))).Plan(Bookinfo(vs)).Single();

        Assert.Equal("default", change.After.At("spec.http[1].name")!.GetValue<string>());
        Assert.Equal("v1", change.After.At("spec.http[1].route[0].destination.subset")!.GetValue<string>());
    }

    [Fact]
    public void SetWeights_RejectsAWeightAbove100()
    {
        FailsOn(new SetWeights(Reviews, W(("v1", 150), ("v2", -50))), Bookinfo(), "weights.v1", "0..100");
    }

    [Fact]
    public void SetWeights_RejectsANegativeWeight()
    {
        FailsOn(new SetWeights(Reviews, W(("v1", 150), ("v2", -50))), Bookinfo(), "weights.v2", "0..100");
    }

    [Fact]
    public void SetWeights_RejectsATotalOtherThan100()
    {
        FailsOn(new SetWeights(Reviews, W(("v1", 50), ("v2", 40))), Bookinfo(), "weights", "total 90");
    }

    [Fact]
    public void SetWeights_RejectsAllZero()
    {
        FailsOn(new SetWeights(Reviews, W(("v1", 0), ("v2", 0))), Bookinfo(), "weights", "above 0");
    }

    [Fact]
    public void SetWeights_RejectsNoWeights()
    {
        FailsOn(new SetWeights(Reviews, W()), Bookinfo(), "weights", "above 0");
    }

    [Fact]
    public void SetWeights_RejectsASubsetNoDestinationRuleDefines()
    {
        var errors = Fails(new SetWeights(Reviews, W(("v1", 50), ("v9", 50))), Bookinfo());

        var error = Assert.Single(errors);
        Assert.Equal("weights.v9", error.Field);
        Assert.Contains("not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetWeights_ExceptionMessageJoinsAllErrors()
    {
        var e = Assert.Throws<OperationException>(() => new SetWeights(Reviews, W(("v8", 50), ("v9", 40))).Plan(Bookinfo()));

        Assert.Equal(string.Join("; ", e.Errors.Select(x => $"{x.Field}: {x.Message}")), e.Message);
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void SetWeights_RejectsAServiceThatDoesNotExist()
    {
        FailsOn(new SetWeights(Svc("bookinfo", "nope"), W(("v1", 100))), Bookinfo(), "service", "does not exist");
    }

    [Fact]
    public void SetWeights_RefusesAVirtualServiceManagedByFlagger()
    {
        var snapshot = Bookinfo().With(Vs("bookinfo", "reviews", ReviewsVs,
            """{"ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "reviews"}]}"""));

        FailsOn(new SetWeights(Reviews, W(("v1", 50), ("v2", 50))), snapshot, "service", "Flagger");
    }

    [Fact]
    public void RouteAllTo_SendsEverythingToOneSubset()
    {
        var plan = new RouteAllTo(Reviews, "v3").Plan(Bookinfo());

        var route = plan.Single().After.At("spec.http[2].route")!.AsArray();
        Assert.Equal("reviews: all traffic to v3", plan.Summary);
        var only = Assert.Single(route);
        Assert.Equal("v3", only.At("destination.subset")!.GetValue<string>());
        Assert.Null(only!["weight"]);
        Assert.Equal("10s", plan.Single().After.At("spec.http[2].timeout")!.GetValue<string>());
    }

    [Fact]
    public void RouteAllTo_RejectsAnUndefinedSubset()
    {
        FailsOn(new RouteAllTo(Reviews, "v9"), Bookinfo(), "subset", "not defined");
    }

    [Fact]
    public void RouteAllTo_RejectsAnEmptySubset()
    {
        FailsOn(new RouteAllTo(Reviews, ""), Bookinfo(), "subset", "required");
    }

    [Fact]
    public void SetWeights_TreatsAMatchEntryWithOnlyANameAsCatchAll()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"name": "all", "match": [{"name": "anything"}], "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""";

        var change = new SetWeights(Reviews, W(("v2", 100))).Plan(Bookinfo(vs)).Single();

        Assert.Single(change.After.At("spec.http")!.AsArray());
        Assert.Equal("v2", change.After.At("spec.http[0].route[0].destination.subset")!.GetValue<string>());
    }
}
