using MeshDashboard.Model;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Tests.Model;

public sealed class FormModelTests
{
    [Fact]
    public void FaultForm_LoadsTheExistingAbortOfTheTesterRule()
    {
        var model = FaultFormModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews));

        Assert.Equal("tester", model.Rule);
        Assert.Equal(503, model.AbortStatus);
        Assert.Equal(50, model.AbortPercent);
        Assert.False(model.AppliesToEveryone);
    }

    [Fact]
    public void FaultForm_RejectsStatus700()
    {
        var model = FaultFormModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)) with { AbortStatus = 700 };

        Assert.Contains("200..600", model.Validate()["abortStatus"], StringComparison.Ordinal);
    }

    [Fact]
    public void FaultForm_KeepsAGrpcAbortWrittenByHandWhenOnlyTheDelayIsEdited()
    {
        var snapshot = DemoSnapshot.Build(o =>
        {
            if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
            {
                o["spec"]!["http"]![0]!["fault"] = System.Text.Json.Nodes.JsonNode.Parse("""{"abort": {"percentage": {"value": 20}, "grpcStatus": "UNAVAILABLE"}}""");
            }
            return o;
        });
        var model = FaultFormModel.From(DemoSnapshot.Service(snapshot, DemoSnapshot.Reviews)) with { DelayPercent = 10, FixedDelay = "2s" };

        Assert.True(model.AbortIsGrpc);
        Assert.Empty(model.Validate());
        var fault = model.ToOperation(DemoSnapshot.Reviews).Fault!;
        Assert.Equal("UNAVAILABLE", fault.AbortGrpcStatus);
        Assert.Null(fault.AbortHttpStatus);
        Assert.Equal(20, fault.AbortPercent);
    }

    /// <summary>istiod accepts an abort without a status with a warning, so the form does not refuse it (MD009 warns).</summary>
    [Fact]
    public void FaultForm_WithGrpcChosenButNoStatus_IsNotRefused_AsIstiodOnlyWarns()
    {
        var model = FaultFormModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)) with { AbortIsGrpc = true, AbortPercent = 10 };

        Assert.False(model.Validate().ContainsKey("abortGrpcStatus"));
    }

    [Fact]
    public void FaultForm_NamesTheGrpcStatusFieldWhenItIsUnknown()
    {
        var model = FaultFormModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)) with { AbortIsGrpc = true, AbortPercent = 10, AbortGrpcStatus = "BROKEN" };

        Assert.Contains("gRPC status", model.Validate()["abortGrpcStatus"], StringComparison.Ordinal);
    }

    [Fact]
    public void FaultForm_SendsTheRuleItWasReadFrom()
    {
        var model = FaultFormModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)) with { AbortPercent = 20 };

        var operation = model.ToOperation(DemoSnapshot.Reviews);

        Assert.Equal(0, operation.Origin!.Index);
        Assert.Equal(model.Selected!.Origin, operation.Origin);
        Assert.Equal(operation.Origin, model.RemoveOperation(DemoSnapshot.Reviews).Origin);
    }

    [Fact]
    public void FaultForm_WarnsThatACatchAllRuleAppliesToEveryone()
    {
        var model = FaultFormModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews)).Select("default");

        Assert.True(model.AppliesToEveryone);
    }

    [Fact]
    public void PolicyForm_ShowsTheDeprecatedConsecutiveErrorsWithItsMeaning()
    {
        var model = PolicyFormModel.From(DemoSnapshot.Service(DemoSnapshot.MyApp), "v2");

        // consecutiveErrors: 7 counts gateway errors only, with 5xx ejection off (istiod's reading).
        Assert.Equal(7, model.DeprecatedConsecutiveErrors);
        Assert.Equal(7, model.ConsecutiveGatewayErrors);
        Assert.Equal(0, model.Consecutive5xxErrors);
        var operation = (model with { MaxEjectionPercent = 50 }).ToOperation(DemoSnapshot.MyApp);
        Assert.Equal("v2", operation.Subset);
        var outlier = operation.Policy.OutlierDetection.Value!;
        Assert.Equal(Patch<int>.Set(7), outlier.ConsecutiveGatewayErrors);
        Assert.Equal(Patch<int>.Set(0), outlier.Consecutive5xxErrors);
        Assert.Equal(Patch<int>.Set(50), outlier.MaxEjectionPercent);
    }

    [Fact]
    public void PolicyForm_AnEmptyFieldRemovesIt_AndEveryShownFieldIsSet()
    {
        var model = PolicyFormModel.From(DemoSnapshot.Service(DemoSnapshot.MyApp)) with { TlsMode = "" };

        var policy = model.ToOperation(DemoSnapshot.MyApp).Policy;

        Assert.Equal(Patch<string>.Remove, policy.TlsMode);
        Assert.Equal(PatchKind.Set, policy.OutlierDetection.Kind);
    }

    [Fact]
    public void PolicyForm_RejectsAnIntervalThatIsNotADuration()
    {
        var model = PolicyFormModel.From(DemoSnapshot.Service(DemoSnapshot.MyApp)) with { Interval = "ten seconds" };

        Assert.True(model.Validate().ContainsKey("interval"));
    }

    [Fact]
    public void BlueGreen_ShowsWhichSubsetServesEachPublicHost()
    {
        var model = BlueGreenModel.From(DemoSnapshot.Service(DemoSnapshot.MyApp));

        Assert.Equal("v2", model.Rows.Single(r => r.Hosts.Contains("myapp.example.com")).Subset);
        Assert.Equal("v1", model.Rows.Single(r => r.Hosts.Contains("test.myapp.example.com")).Subset);
        Assert.Equal("v2", model.LiveSubset);
        Assert.Equal(["v1"], model.SwitchTargets);
    }

    [Fact]
    public void BlueGreen_AfterSwitchOffersTheWayBack()
    {
        var model = BlueGreenModel.From(DemoSnapshot.Service(DemoSnapshot.MyApp)).AfterSwitch("v1");

        Assert.Equal("v1", model.LiveSubset);
        Assert.Equal(["v2"], model.SwitchTargets);
    }

    [Fact]
    public void Gateways_ListServersAndTheVirtualServicesBoundToThem()
    {
        var gateway = GatewayRow.From(DemoSnapshot.Build()).Single(g => g.Name == "myapp-gateway");

        Assert.NotEmpty(gateway.Servers);
        Assert.Contains(gateway.VirtualServices, v => v.Name == "myapp-public");
        Assert.Contains(gateway.VirtualServices, v => v.Name == "myapp-preview");
    }
}
