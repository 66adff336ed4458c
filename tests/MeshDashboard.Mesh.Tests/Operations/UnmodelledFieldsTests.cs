using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

/// <summary>Every operation edits only what it models; everything else in the objects it rewrites survives.</summary>
public class UnmodelledFieldsTests
{
    private static readonly string[] VirtualServicePaths =
    [
        "metadata.labels", "metadata.annotations", "metadata.resourceVersion", "metadata.uid", "spec.exportTo",
        "spec.http[0].mirror", "spec.http[1]", "spec.http[2].retries", "spec.http[2].timeout", "spec.http[2].corsPolicy", "spec.http[2].headers",
        "spec.http[2].route[0].headers", "spec.http[2].route[0].destination.port",
    ];

    private static readonly string[] DestinationRulePaths =
    [
        "metadata.labels", "metadata.annotations", "metadata.resourceVersion", "spec.exportTo", "spec.trafficPolicy.portLevelSettings", "spec.subsets",
    ];

    public static TheoryData<string> OperationNames => ["SetWeights", "RouteAllTo", "SetRoutingRules", "SetFault", "SetTrafficPolicy"];

    private static ITrafficOperation Operation(string name) => name switch
    {
        "SetWeights" => new SetWeights(Reviews, new Dictionary<string, int> { ["v1"] = 70, ["v3"] = 30 }),
        "RouteAllTo" => new RouteAllTo(Reviews, "v1"),
        "SetRoutingRules" => new SetRoutingRules(Reviews,
            [new RoutingRule("tester", [new MatchCondition(ConditionKind.Header, "end-user", MatchKind.Exact, "qa")], new Dictionary<string, int> { ["v3"] = 100 })],
            new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }),
        "SetFault" => new SetFault(Reviews, "default", new FaultSettings(null, null, null, 10, "3s")),
        _ => new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(new OutlierDetectionSettings(Consecutive5xxErrors: 3), TlsMode: "ISTIO_MUTUAL")),
    };

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void Operations_KeepEveryFieldTheyDoNotModel(string name)
    {
        var snapshot = Bookinfo();
        if (name == "RouteAllTo")
        {
            // The demo already routes all to v1; start from a split so there is something to change.
            snapshot = snapshot.Apply(new SetWeights(Reviews, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }).Plan(snapshot));
        }

        var plan = Operation(name).Plan(snapshot);

        var change = plan.Single();
        var paths = change.Target.Kind == Kubernetes.ResourceKind.DestinationRule ? DestinationRulePaths : VirtualServicePaths;
        foreach (var path in paths)
        {
            Assert.True(change.Before!.Raw.At(path).Json() == change.After.At(path).Json(), $"{name} changed {path}: {change.Before.Raw.At(path).Json()} → {change.After.At(path).Json()}");
        }
    }
}
