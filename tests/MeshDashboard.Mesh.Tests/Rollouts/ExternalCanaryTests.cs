using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Rollouts;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Rollouts;

/// <summary>
/// A service whose weights an Argo Rollout drives is offered no plan; its canary is shown read-only. The Rollout's
/// fields follow Argo Rollouts' spec (spec.strategy.canary.steps[].setWeight, status.currentStepIndex).
/// </summary>
public sealed class ExternalCanaryTests
{
    [Fact]
    public void ArgoRolloutsCanary_ShowsItsStepAndTheRoutesWeights_AndThePlanIsRefused()
    {
        var rollout = Obj(ResourceKind.Rollout, "myapp", "myapp", """
            {"strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}, {"setWeight": 60}, {"pause": {"duration": "1m"}}],
              "trafficRouting": {"istio": {"virtualService": {"name": "myapp"}}}}}}
            """);
        rollout.Raw["status"] = new System.Text.Json.Nodes.JsonObject { ["currentStepIndex"] = 1 };
        var snapshot = Snapshot(Service("myapp", "myapp"), Pod("myapp", "myapp", "v1"), Pod("myapp", "myapp", "v2"),
            Dr("myapp", "myapp", """{"host": "myapp", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}"""),
            Vs("myapp", "myapp", """{"hosts": ["myapp"], "http": [{"route": [{"destination": {"host": "myapp", "subset": "v1"}, "weight": 80}, {"destination": {"host": "myapp", "subset": "v2"}, "weight": 20}]}]}"""),
            rollout);
        var service = ServiceCatalog.Find(snapshot, "myapp", "myapp")!;

        var canary = ExternalCanary.Of(service, snapshot)!;
        var plan = new RolloutPlan(MyApp, "v2", "v1", [new RolloutStep(100, TimeSpan.Zero)],
            new RolloutGates(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), null, null, 0, []), RolloutFailureAction.Rollback);

        Assert.Equal(("myapp", 2, 4, 20), (canary.RolloutName, canary.Step, canary.Steps, canary.StepWeight));
        Assert.Equal(["v1 80%", "v2 20%"], canary.Weights);
        Assert.Contains(plan.Validate(service), e => e.Field == "service" && e.Message.Contains("Argo Rollouts", StringComparison.Ordinal));
    }
}
