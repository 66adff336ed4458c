using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class TrafficToUnreadyPodsCheckerTests
{
    private static readonly TrafficToUnreadyPodsChecker Checker = new();

    /// <summary>reviews with <paramref name="v1"/> and <paramref name="v2"/> pods as (total, ready), the usual subsets, and the VirtualService given.</summary>
    private static MeshSnapshot Reviews((int Pods, int Ready) v1, (int Pods, int Ready) v2, string vs)
    {
        var objects = new List<KubeObject> { Service("bookinfo", "reviews"), Dr("bookinfo", "reviews", ReviewsDr), Vs("bookinfo", "reviews", vs) };
        foreach (var (version, (pods, ready)) in new[] { ("v1", v1), ("v2", v2) })
        {
            objects.AddRange(Enumerable.Range(0, pods).Select(i => Pod("bookinfo", "reviews", version, ready: i < ready)));
        }
        return Snapshot([.. objects]);
    }

    private static string Split(int v1, int v2) =>
        $$$"""{"hosts": ["reviews"], "http": [{"name": "split", "route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": {{{v1}}}}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": {{{v2}}}}]}]}""";

    [Fact]
    public void Check_IsAnErrorWhenTrafficGoesToASubsetWithNoReadyPods()
    {
        var f = Single(Checker, Reviews((2, 2), (2, 0), Split(90, 10)));

        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Equal("spec.http[0].route[1]", f.Field);
        Assert.Contains("10%", f.Message, StringComparison.Ordinal);
        Assert.Contains("0 of 2 pods ready", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IgnoresASubsetWithoutReadyPodsThatGetsNoTraffic()
    {
        None(Checker, Reviews((2, 2), (2, 0), Split(100, 0)));
    }

    [Fact]
    public void Check_WarnsWhenHalfTheTrafficGoesToASubsetMostlyNotReady()
    {
        var f = Single(Checker, Reviews((3, 3), (3, 1), Split(50, 50)));

        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal("spec.http[0].route[1]", f.Field);
        Assert.Contains("fewer than half", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WarnsWhenFewReadyPodsCarryMostOfTheTraffic()
    {
        // 90% of the traffic on 1 of 10 ready pods: that pod takes 81 times what each v1 pod takes.
        var f = Single(Checker, Reviews((9, 9), (1, 1), Split(10, 90)));

        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Contains("10% of the rule's ready pods", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AcceptsACanaryOnFewerPods()
    {
        // 25% on 1 of 4 ready pods is an even spread; a canary on fewer pods than its share is fine.
        None(Checker, Reviews((3, 3), (1, 1), Split(75, 25)));
        None(Checker, Reviews((4, 4), (1, 1), Split(90, 10)));
    }

    [Fact]
    public void Check_CountsOnlyReadyPodsOfDestinationsThatGetTraffic()
    {
        // v2 at 0% takes nothing, so v1's single pod carrying everything is no imbalance.
        None(Checker, Reviews((1, 1), (9, 9), Split(100, 0)));
    }

    [Fact]
    public void Check_IsSilentForTheDemos()
    {
        None(Checker, Bookinfo());
        None(Checker, MyAppDemo());
    }

    [Fact]
    public void Check_LeavesUndefinedSubsetsUnreachableRulesAndSelectorlessServicesToOthers()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [
              {"name": "all", "route": [{"destination": {"host": "reviews", "subset": "v9"}}]},
              {"name": "late", "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]}
            """;
        None(Checker, Reviews((1, 1), (1, 0), vs));

        var manual = Obj(ResourceKind.Service, "bookinfo", "legacy", """{"ports": [{"port": 80}]}""");
        None(Checker, Bookinfo().With(manual).With(Vs("bookinfo", "legacy", """{"hosts": ["legacy"], "http": [{"route": [{"destination": {"host": "legacy"}}]}]}""")));
    }

    [Fact]
    public void Check_CountsAllPodsOfTheServiceForADestinationWithoutSubset()
    {
        var f = Single(Checker, Reviews((1, 0), (1, 0), """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}"""));

        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Contains("0 of 2 pods ready", f.Message, StringComparison.Ordinal);
    }
}
