using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Testing;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>A Rollout that names a VirtualService owns its weights: the dashboard shows it as managed and does not write.</summary>
public sealed class ArgoRolloutsTests : IAsyncLifetime
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");
    private readonly TestSandbox _sandbox = new();
    private PipelineHarness _harness = null!;

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

    public async ValueTask InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _harness = await PipelineHarness.StartAsync(_sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task ServiceNamedByARollout_IsManaged_AndChangesAreRefusedUntilTheRolloutIsGone()
    {
        (await _sandbox.Kubectl.RunAsync(["apply", "-f", "-"], Rollout)).EnsureSuccess();
        await _harness.WaitForAsync(s => s.Find(ResourceKind.Rollout, "myapp", "myapp") is not null);

        var service = _harness.Dashboard.Current.FindService("myapp", "myapp")!;
        var refused = await _harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), TestContext.Current.CancellationToken);

        Assert.Contains("Argo Rollouts (Rollout myapp)", service.ManagedBy);
        Assert.Equal(ChangeStatus.ReadOnly, refused.Status);
        Assert.Contains(_harness.Dashboard.Current.Findings, f => f.Code == Mesh.Analysis.FindingCodes.ManagedByController && f.Object.Name == "myapp");

        (await _sandbox.Kubectl.RunAsync("delete", "rollout", "myapp", "-n", "myapp")).EnsureSuccess();
        await _harness.WaitForAsync(s => s.Find(ResourceKind.Rollout, "myapp", "myapp") is null);
        var allowed = await _harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), TestContext.Current.CancellationToken);

        Assert.Equal(ChangeStatus.Applied, allowed.Status);
    }
}
