using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetTcpWeightsTests
{
    private static readonly ObjectRef TcpEcho = Svc("istio-io-tcp-traffic-shifting", "tcp-echo");

    /// <summary>Shaped like Istio's samples/tcp-echo/tcp-echo-20-v2.yaml inside the mesh, with a second route for port 9001.</summary>
    private const string TcpEcho8020 = """
        {"hosts": ["tcp-echo"], "tcp": [
          {"match": [{"port": 9000}], "route": [
            {"destination": {"host": "tcp-echo", "port": {"number": 9000}, "subset": "v1"}, "weight": 80},
            {"destination": {"host": "tcp-echo", "port": {"number": 9000}, "subset": "v2"}, "weight": 20}]},
          {"match": [{"port": 9001}], "route": [
            {"destination": {"host": "tcp-echo", "port": {"number": 9001}, "subset": "v1"}}]}]}
        """;

    private const string TcpEchoDr = """
        {"host": "tcp-echo", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}, {"name": "v3", "labels": {"version": "v3"}}]}
        """;

    private static MeshSnapshot Mesh(string vs = TcpEcho8020) => Snapshot(
        Service("istio-io-tcp-traffic-shifting", "tcp-echo"),
        Dr("istio-io-tcp-traffic-shifting", "tcp-echo", TcpEchoDr),
        Vs("istio-io-tcp-traffic-shifting", "tcp-echo", vs));

    private static Dictionary<string, int> W(params (string Subset, int Weight)[] weights) => weights.ToDictionary(w => w.Subset, w => w.Weight);

    [Fact]
    public void SetTcpWeights_ChangesOnlyTheWeightsOfThatRoute()
    {
        var plan = new SetTcpWeights(TcpEcho, 0, W(("v1", 50), ("v2", 50))).Plan(Mesh());

        var change = plan.Single();
        Assert.Equal(["spec.tcp[0].route[0].weight", "spec.tcp[0].route[1].weight"], JsonDiff.Paths(change.Before!.Raw, change.After));
        Assert.Equal("tcp-echo: TCP route 0 weights v1 50%, v2 50%", plan.Summary);
    }

    [Fact]
    public void SetTcpWeights_AnAddedSubsetTakesTheRoutesPort()
    {
        var after = new SetTcpWeights(TcpEcho, 1, W(("v1", 70), ("v3", 30))).Plan(Mesh()).Single().After!;

        Assert.Equal("""{"destination":{"host":"tcp-echo","subset":"v3","port":{"number":9001}},"weight":30}""", after.At("spec.tcp[1].route[1]").Json());
        Assert.Equal(70, after.At("spec.tcp[1].route[0].weight")!.GetValue<int>());
        Assert.Equal(Mesh().Find(ResourceKind.VirtualService, "istio-io-tcp-traffic-shifting", "tcp-echo")!.Raw.At("spec.tcp[0]").Json(), after.At("spec.tcp[0]").Json());
    }

    [Fact]
    public void SetTcpWeights_AllToOneSubset_RemovesTheOther()
    {
        var route = new SetTcpWeights(TcpEcho, 0, W(("v2", 100))).Plan(Mesh()).Single().After.At("spec.tcp[0].route")!;

        Assert.Equal("""[{"destination":{"host":"tcp-echo","port":{"number":9000},"subset":"v2"}}]""", route.Json());
    }

    [Fact]
    public void SetTcpWeights_RefusesWeightsSetWeightsRefuses()
    {
        FailsOn(new SetTcpWeights(TcpEcho, 0, W(("v1", 50), ("v2", 60))), Mesh(), "weights", "total exactly 100");
        FailsOn(new SetTcpWeights(TcpEcho, 0, W(("v1", 50), ("v9", 50))), Mesh(), "weights.v9", "not defined");
    }

    [Fact]
    public void SetTcpWeights_RefusesARouteThatIsNotThere()
    {
        FailsOn(new SetTcpWeights(TcpEcho, 2, W(("v1", 100))), Mesh(), "route", "0 to 1");
        FailsOn(new SetTcpWeights(TcpEcho, -1, W(("v1", 100))), Mesh(), "route", "not -1");
        FailsOn(new SetTcpWeights(TcpEcho, 0, W(("v1", 100))), Mesh("""{"hosts": ["tcp-echo"], "http": [{"route": [{"destination": {"host": "tcp-echo"}}]}]}"""),
            "route", "no mesh VirtualService with TCP routes");
    }

    [Fact]
    public void SetTcpWeights_WithAFingerprint_GoesOnThatRoute_AndAStaleOneIsAConflict()
    {
        var read = Mesh();
        var fingerprint = VirtualServiceView.From(read.Find(ResourceKind.VirtualService, "istio-io-tcp-traffic-shifting", "tcp-echo")!).Tcp[0].Fingerprint;
        var operation = new SetTcpWeights(TcpEcho, 0, W(("v1", 10), ("v2", 90))) { Fingerprint = fingerprint };

        Assert.Single(operation.Plan(read).Changes);
        var error = Assert.Throws<OperationException>(() => operation.Plan(Mesh(TcpEcho8020.Replace("\"weight\": 80", "\"weight\": 70", StringComparison.Ordinal)
            .Replace("\"weight\": 20", "\"weight\": 30", StringComparison.Ordinal))));
        Assert.True(error.IsConflict);
        Assert.Equal("fingerprint", Assert.Single(error.Errors).Field);
    }
}
