using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class RuleEditorModelTests
{
    private static RuleEditorModel Reviews() => RuleEditorModel.From(DemoSnapshot.Service(DemoSnapshot.Reviews));

    [Fact]
    public void From_ReadsTheDarkLaunchRuleAndTheFallback()
    {
        var model = Reviews();

        var rule = Assert.Single(model.Rules);
        Assert.Equal("tester", rule.Name);
        Assert.Contains(rule.Conditions, c => c.Kind == ConditionKind.Header && c.Name == "end-user");
        Assert.Equal("v2", Assert.Single(rule.Targets).Subset);
        Assert.Equal("v1", Assert.Single(model.Fallback).Subset);
        Assert.True(model.IsValid);
    }

    [Fact]
    public void Validate_RejectsAnUppercaseHeaderName()
    {
        var model = Reviews().WithCondition(0, 0, Reviews().Rules[0].Conditions[0] with { Name = "End-User" });

        Assert.Contains("lowercase", model.Validate()["rules[0].conditions[0].name"], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsABadRegex()
    {
        var model = Reviews().WithCondition(0, 0, new ConditionDraft(ConditionKind.Header, MatchKind.Regex, "end-user", "(unclosed"));

        Assert.Contains("regular expression", model.Validate()["rules[0].conditions[0].value"], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsADuplicateRuleName()
    {
        var model = Reviews().AddRule().Rename(1, "tester");

        Assert.Contains("more than one rule", model.Validate()["rules[1].name"], StringComparison.Ordinal);
    }

    [Fact]
    public void MoveRule_ChangesTheOrderInWhichRulesAreTried()
    {
        var model = Reviews().AddRule().Rename(1, "second").MoveRule(1, -1);

        Assert.Equal(["second", "tester"], model.Rules.Select(r => r.Name));
    }

    [Fact]
    public void ToOperation_PutsAllConditionsOfARuleIntoOneRule()
    {
        var model = Reviews()
            .AddCondition(0)
            .WithCondition(0, 1, new ConditionDraft(ConditionKind.Uri, MatchKind.Prefix, "", "/api"));

        var operation = model.ToOperation(DemoSnapshot.Reviews);

        var rule = Assert.Single(operation.Rules);
        Assert.Equal(2, rule.Conditions.Count);
        Assert.Equal(new MatchCondition(ConditionKind.Uri, null, MatchKind.Prefix, "/api"), rule.Conditions[1]);
        Assert.Equal(100, operation.Fallback["v1"]);
    }
}
