using System.Text.Json.Nodes;
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
    public void Validate_AcceptsAnUppercaseHeaderName_AsIstiodDoes_ButNotAName()
    {
        var upper = Reviews().WithCondition(0, 0, Reviews().Rules[0].Conditions[0] with { Name = "End-User" });
        var spaced = Reviews().WithCondition(0, 0, Reviews().Rules[0].Conditions[0] with { Name = "end user" });

        Assert.False(upper.Validate().ContainsKey("rules[0].conditions[0].name"));
        Assert.Contains("not a valid header name", spaced.Validate()["rules[0].conditions[0].name"], StringComparison.Ordinal);
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

    /// <summary>The demo mesh with the tester rule matching either the tester header or a beta cookie.</summary>
    private static RuleEditorModel ReviewsWithOrSets() => RuleEditorModel.From(DemoSnapshot.Service(DemoSnapshot.Build(o =>
    {
        if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
        {
            o["spec"]!["http"]![0]!["match"]!.AsArray().Add(JsonNode.Parse("""{"headers": {"cookie": {"regex": ".*beta=1.*"}}}"""));
        }
        return o;
    }), DemoSnapshot.Reviews));

    [Fact]
    public void From_ShowsOrMatchEntriesAsOrSetsOfOneRule()
    {
        var model = ReviewsWithOrSets();

        var rule = Assert.Single(model.Rules);
        Assert.Equal("tester", rule.Name);
        var orSet = Assert.Single(rule.OrConditions);
        Assert.Equal(new ConditionDraft(ConditionKind.Header, MatchKind.Regex, "cookie", ".*beta=1.*"), Assert.Single(orSet));
        Assert.Empty(model.Notes);
    }

    [Fact]
    public void ToOperation_CarriesOrSetsInTheirOrder()
    {
        var model = ReviewsWithOrSets().AddOrSet(0).WithCondition(0, 0, new ConditionDraft(ConditionKind.QueryParam, MatchKind.Exact, "beta", "1"), set: 2);

        var rule = Assert.Single(model.ToOperation(DemoSnapshot.Reviews).Rules);

        Assert.Equal(["cookie", "beta"], rule.OrConditions.Select(set => Assert.Single(set).Name));
        Assert.Equal("end-user", Assert.Single(rule.Conditions).Name);
    }

    [Fact]
    public void RemoveOrSet_KeepsTheFirstSetAndDropsTheChosenOne()
    {
        var model = ReviewsWithOrSets();

        Assert.Empty(model.RemoveOrSet(0, 1).Rules[0].OrConditions);
        Assert.Equal(model, model.RemoveOrSet(0, 0));
    }

    [Fact]
    public void Validate_NamesTheFieldsOfAnOrSet()
    {
        var model = ReviewsWithOrSets().RemoveCondition(0, 0, set: 1);

        Assert.Contains("match every request", model.Validate()["rules[0].orConditions[0]"], StringComparison.Ordinal);

        var invalid = ReviewsWithOrSets().WithCondition(0, 0, new ConditionDraft(ConditionKind.Header, MatchKind.Exact, "Cookie jar", "x"), set: 1);
        Assert.Contains("not a valid header name", invalid.Validate()["rules[0].orConditions[0][0].name"], StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnnamedRule_IsNamedOnApplyAndKeepsItsFault()
    {
        var snapshot = DemoSnapshot.Build(o =>
        {
            if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
            {
                o["spec"]!["http"]![0]!.AsObject().Remove("name");
            }
            return o;
        });
        var model = RuleEditorModel.From(DemoSnapshot.Service(snapshot, DemoSnapshot.Reviews));

        var change = model.TargetWeight(0, "v2", 100).ToOperation(DemoSnapshot.Reviews).Plan(snapshot).Changes.Single();

        Assert.Equal("rule-1", model.Rules[0].Name);
        Assert.Contains("are kept", Assert.Single(model.Notes), StringComparison.Ordinal);
        var rule = change.After!["spec"]!["http"]![0]!;
        Assert.Equal("rule-1", (string?)rule["name"]);
        Assert.Equal(503, (long?)rule["fault"]!["abort"]!["httpStatus"]);
    }
}
