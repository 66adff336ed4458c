using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Tests.Istio;

public class ViewsTests
{
    [Fact]
    public void Views_ReadNumbersWrittenInCodeAsWellAsParsedOnes()
    {
        // Objects built by operations hold CLR numbers (int, double), not parsed JSON; views must read both.
        var rule = new JsonObject
        {
            ["route"] = new JsonArray(
                new JsonObject { ["destination"] = new JsonObject { ["host"] = "a", ["subset"] = "v1", ["port"] = new JsonObject { ["number"] = 9080 } }, ["weight"] = 25 },
                new JsonObject { ["destination"] = new JsonObject { ["host"] = "a", ["subset"] = "v2" }, ["weight"] = 75L }),
            ["fault"] = new JsonObject
            {
                ["abort"] = new JsonObject { ["httpStatus"] = 503, ["percentage"] = new JsonObject { ["value"] = 50 } },
                ["delay"] = new JsonObject { ["fixedDelay"] = "1s", ["percentage"] = new JsonObject { ["value"] = 0.5 } },
            },
        };

        var view = HttpRouteView.From(rule, 0);

        Assert.Equal([25L, 75L], view.Destinations.Select(d => d.Weight));
        Assert.Equal(9080, view.Destinations[0].Port);
        Assert.Equal(50, view.Fault!.AbortPercent);
        Assert.Equal(503, view.Fault.AbortHttpStatus);
        Assert.Equal(0.5, view.Fault.DelayPercent);
    }

    [Fact]
    public void Int_ReadsAWholeDoubleAndSkipsAFraction()
    {
        var obj = new JsonObject { ["a"] = 7.0, ["b"] = 7.5, ["c"] = JsonNode.Parse("7.0") };

        Assert.Equal(7, obj.Int("a"));
        Assert.Null(obj.Int("b"));
        Assert.Equal(7, obj.Int("c"));
    }
}
