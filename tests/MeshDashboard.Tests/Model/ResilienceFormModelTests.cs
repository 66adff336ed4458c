using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class ResilienceFormModelTests
{
    /// <summary>The demo mesh with reviews' "default" rule carrying a timeout, retries and a 10% shadow copy to v2.</summary>
    internal static MeshSnapshot WithResilience() => DemoSnapshot.Build(o =>
    {
        if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
        {
            var rule = (JsonObject)o["spec"]!["http"]![1]!;
            rule["timeout"] = "3s";
            rule["retries"] = JsonNode.Parse("""{"attempts": 3, "perTryTimeout": "1s", "retryOn": "5xx,reset"}""");
            rule["mirror"] = JsonNode.Parse("""{"host": "reviews", "subset": "v2"}""");
            rule["mirrorPercentage"] = JsonNode.Parse("""{"value": 10}""");
        }
        return o;
    });

    private static MeshService Reviews() => DemoSnapshot.Service(WithResilience(), DemoSnapshot.Reviews);

    [Fact]
    public void TimeoutForm_LoadsTheRuleThatHasATimeoutAndItsRetries()
    {
        var model = TimeoutRetriesFormModel.From(Reviews());

        Assert.Equal("default", model.Rule);
        Assert.Equal("3s", model.Timeout);
        Assert.Equal(3, model.Attempts);
        Assert.Equal("1s", model.PerTryTimeout);
        Assert.Equal("5xx,reset", model.RetryOn);
        Assert.Empty(model.Validate());
    }

    [Fact]
    public void TimeoutForm_SelectingARuleWithoutRetriesEmptiesTheFields()
    {
        var model = TimeoutRetriesFormModel.From(Reviews()).Select("tester");

        Assert.Null(model.Timeout);
        Assert.Null(model.Attempts);
        Assert.True(model.HasFault);
    }

    [Fact]
    public void TimeoutForm_NamesTheRetryOnFieldForAnUnknownCondition()
    {
        var model = TimeoutRetriesFormModel.From(Reviews()) with { RetryOn = "5xx,sometimes" };

        Assert.Contains("\"sometimes\" is not a retry condition", model.Validate()["retryOn"], StringComparison.Ordinal);
    }

    [Fact]
    public void TimeoutForm_SaysToRemoveSpacesInRetryOn()
    {
        var model = TimeoutRetriesFormModel.From(Reviews()) with { RetryOn = "5xx, reset" };

        Assert.Contains("remove the spaces", model.Validate()["retryOn"], StringComparison.Ordinal);
    }

    [Fact]
    public void TimeoutForm_NamesTheTimeoutFieldForABadDuration()
    {
        var model = TimeoutRetriesFormModel.From(Reviews()) with { Timeout = "soon" };

        Assert.True(model.Validate().ContainsKey("timeout"));
    }

    [Fact]
    public void TimeoutForm_SendsTheWholeStateWithEmptyFieldsAsRemovals()
    {
        var model = TimeoutRetriesFormModel.From(Reviews()) with { Timeout = "5s", PerTryTimeout = "" };

        var operation = model.ToOperation(DemoSnapshot.Reviews);

        Assert.Equal("default", operation.Rule);
        Assert.Equal(model.Selected!.Origin, operation.Origin);
        Assert.Equal(Patch<string>.Set("5s"), operation.Timeout);
        var retries = operation.Retries.Value!;
        Assert.Equal(Patch<int>.Set(3), retries.Attempts);
        Assert.Equal(Patch<string>.Remove, retries.PerTryTimeout);
        Assert.Equal(Patch<string>.Set("5xx,reset"), retries.RetryOn);
    }

    [Fact]
    public void TimeoutForm_ClearingEveryFieldRemovesTimeoutAndRetryPolicy()
    {
        var model = TimeoutRetriesFormModel.From(Reviews()) with { Timeout = null, Attempts = null, PerTryTimeout = " ", RetryOn = null };

        var operation = model.ToOperation(DemoSnapshot.Reviews);

        Assert.Empty(model.Validate());
        Assert.Equal(PatchKind.Remove, operation.Timeout.Kind);
        Assert.Equal(PatchKind.Remove, operation.Retries.Kind);
    }

    [Fact]
    public void TimeoutForm_PlansOnTheDemoMesh()
    {
        var snapshot = WithResilience();
        var model = TimeoutRetriesFormModel.From(DemoSnapshot.Service(snapshot, DemoSnapshot.Reviews)) with { Attempts = 5 };

        var plan = model.ToOperation(DemoSnapshot.Reviews).Plan(snapshot);

        Assert.Contains("retries 5×", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void MirrorForm_LoadsTheShadowCopyOfTheRule()
    {
        var model = MirrorFormModel.From(Reviews());

        Assert.Equal("default", model.Rule);
        Assert.Equal("v2", model.Subset);
        Assert.Equal(10, model.Percent);
        Assert.True(model.HasExistingMirror);
        Assert.Contains("v2", Assert.Single(model.CurrentCopies), StringComparison.Ordinal);
        Assert.Contains("v2", model.Subsets);
    }

    [Fact]
    public void MirrorForm_RejectsAShareAbove100()
    {
        var model = MirrorFormModel.From(Reviews()) with { Percent = 150 };

        Assert.Contains("0 to 100", model.Validate()["percent"], StringComparison.Ordinal);
    }

    [Fact]
    public void MirrorForm_AsksForASubsetOnARuleWithoutMirror()
    {
        var model = MirrorFormModel.From(Reviews()).Select("tester");

        Assert.Null(model.Subset);
        Assert.False(model.HasExistingMirror);
        Assert.True(model.Validate().ContainsKey("subset"));
    }

    [Fact]
    public void MirrorForm_EmptyPercentCopiesAllRequests()
    {
        var model = MirrorFormModel.From(Reviews()).Select("tester") with { Subset = "v2" };

        var operation = model.ToOperation(DemoSnapshot.Reviews);

        Assert.Empty(model.Validate());
        Assert.Equal(new MirrorSettings("v2", 100), operation.Mirror);
        Assert.Equal(0, operation.Origin!.Index);
    }

    [Fact]
    public void MirrorForm_RemoveStopsMirroringOnTheRuleItWasReadFrom()
    {
        var model = MirrorFormModel.From(Reviews());

        var operation = model.RemoveOperation(DemoSnapshot.Reviews);

        Assert.Null(operation.Mirror);
        Assert.Equal(model.Selected!.Origin, operation.Origin);
    }
}
