using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Testing;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>When writes impersonate a person, the cluster's answer (RBAC) decides, and the dashboard asks it first.</summary>
public sealed class ClusterAuthorizationTests() : PipelineTestBase(new TestSandbox(seedDemoMesh: true, readOnlyUsers: "rita"))
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    [Fact]
    public async Task AccessReview_ForAPersonTheClusterDenies_SaysWhy()
    {
        using (ImpersonationScope.Use(new ClusterIdentity("rita", [])))
        {
            var reason = await Harness.Dashboard.WhyCannotChangeAsync(MyApp, Cancel);

            Assert.NotNull(reason);
            Assert.Contains("does not allow rita", reason);
        }
    }

    [Fact]
    public async Task AccessReview_ForAPersonTheClusterAllows_AndForTheDashboardItself_IsClear()
    {
        string? asSam;
        using (ImpersonationScope.Use(new ClusterIdentity("sam", ["release-managers"])))
        {
            asSam = await Harness.Dashboard.WhyCannotChangeAsync(MyApp, Cancel);
        }
        var asDashboard = await Harness.Dashboard.WhyCannotChangeAsync(MyApp, Cancel);

        Assert.Null(asSam);
        Assert.Null(asDashboard);
    }

    [Fact]
    public async Task Apply_AsAPersonTheClusterDenies_IsForbiddenAndWritesNothing()
    {
        ChangeOutcome outcome;
        using (ImpersonationScope.Use(new ClusterIdentity("rita", [])))
        {
            outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("rita"), Cancel);
        }

        Assert.Equal(ChangeStatus.Forbidden, outcome.Status);
        Assert.Contains("forbidden", outcome.Message);
        var weights = (await Sandbox.Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight}")).EnsureSuccess().Output;
        Assert.Equal("25 75", weights);
        Assert.Empty(await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel));
    }
}
