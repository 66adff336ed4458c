using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis;

/// <summary>
/// Checks a snapshot for configuration that sends traffic somewhere unintended. Each rule has a stable
/// code (see <see cref="FindingCodes"/>) and lives in its own checker (Analysis/Checkers); findings point at the
/// object and field, and come out grouped by checker in the order of <see cref="Checkers"/>.
/// </summary>
public static class MeshAnalyzer
{
    /// <summary>Every rule, one checker per code, in code order.</summary>
    internal static ImmutableArray<IChecker> Checkers { get; } =
    [
        new DestinationHostNotFoundChecker(),
        new SubsetNotDefinedChecker(),
        new SubsetSelectsNoPodsChecker(),
        new GatewayNotFoundChecker(),
        new DuplicateHostChecker(),
        new UnreachableRuleChecker(),
        new InvalidWeightsChecker(),
        new WeightsNotHundredChecker(),
        new FaultInvalidChecker(),
        new DeprecatedFieldChecker(),
        new DestinationRuleHostNotFoundChecker(),
        new GatewayServerIncompleteChecker(),
        new ManagedByControllerChecker(),
        new TrafficToUnreadyPodsChecker(),
        new FaultBypassesRetriesChecker(),
        new MirrorWithoutReadyPodsChecker(),
        new TimeoutBelowRetriesChecker(),
        new UppercaseHeaderNameChecker(),
    ];

    public static ImmutableArray<Finding> Analyze(MeshSnapshot snapshot) => Analyze(snapshot, MeshIndex.Of(snapshot));

    public static ImmutableArray<Finding> Analyze(MeshSnapshot snapshot, MeshIndex index) =>
        [.. Checkers.SelectMany(checker => checker.Check(snapshot, index))];
}

/// <summary>The analyzer's stable codes.</summary>
public static class FindingCodes
{
    public const string DestinationHostNotFound = "MD001";
    public const string SubsetNotDefined = "MD002";
    public const string SubsetSelectsNoPods = "MD003";
    public const string GatewayNotFound = "MD004";
    public const string DuplicateHost = "MD005";
    public const string UnreachableRule = "MD006";
    public const string InvalidWeights = "MD007";
    public const string WeightsNotHundred = "MD008";
    public const string FaultInvalid = "MD009";
    public const string DeprecatedField = "MD010";
    public const string DestinationRuleHostNotFound = "MD011";
    public const string GatewayServerIncomplete = "MD012";
    public const string ManagedByController = "MD013";
    public const string TrafficToUnreadyPods = "MD014";
    public const string FaultBypassesRetries = "MD015";
    public const string MirrorWithoutReadyPods = "MD016";
    public const string TimeoutBelowRetries = "MD017";
    public const string UppercaseHeaderName = "MD018";
}
