using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>A Rollout that names a VirtualService owns its weights: the dashboard shows it as managed and does not write.</summary>
public sealed class ArgoRolloutsTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    private const string Rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: myapp
          namespace: myapp
        spec:
          strategy:
            canary:
              trafficRouting:
                istio:
                  virtualServices:
                  - name: myapp
                    routes: [canary]
                  destinationRule:
                    name: myapp
                    canarySubsetName: v2
                    stableSubsetName: v1
        """;

    [Fact]
    public async Task ServiceNamedByARollout_IsManaged_AndChangesAreRefusedUntilTheRolloutIsGone()
    {
        (await Sandbox.Kubectl.RunAsync(["apply", "-f", "-"], Rollout)).EnsureSuccess();
        await Harness.WaitForAsync(s => s.Find(ResourceKind.Rollout, "myapp", "myapp") is not null);

        var service = Harness.Dashboard.Current.FindService("myapp", "myapp")!;
        var refused = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), TestContext.Current.CancellationToken);

        Assert.Contains("Argo Rollouts (Rollout myapp)", service.ManagedBy);
        Assert.Equal(ChangeStatus.ReadOnly, refused.Status);
        Assert.Contains(Harness.Dashboard.Current.Findings, f => f.Code == Mesh.Analysis.FindingCodes.ManagedByController && f.Object.Name == "myapp");

        (await Sandbox.Kubectl.RunAsync("delete", "rollout", "myapp", "-n", "myapp")).EnsureSuccess();
        await Harness.WaitForAsync(s => s.Find(ResourceKind.Rollout, "myapp", "myapp") is null);
        var allowed = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), TestContext.Current.CancellationToken);

        Assert.Equal(ChangeStatus.Applied, allowed.Status);
    }
}
