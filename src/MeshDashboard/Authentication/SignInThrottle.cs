using System.Collections.Concurrent;

namespace MeshDashboard.Authentication;

/// <summary>
/// Limits failed sign-ins per account (against guessing one password from many addresses) and per address and account
/// (against one script), each in a one-minute window. Never per address alone: one script guessing other accounts must
/// not lock out everyone behind the same NAT, so a person's correct password still works from that address.
/// </summary>
public sealed class SignInThrottle(AuthOptions options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Windows kept before stale ones are dropped, so made-up account names cannot grow memory without bound.</summary>
    private const int MaxTrackedKeys = 10_000;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _failures = new(StringComparer.Ordinal);

    private int Limit => Math.Max(1, options.SignInAttemptsPerMinute);

    public bool IsBlocked(string account, string address)
    {
        var now = time.GetUtcNow();
        return Failures(AccountKey(account), now) >= Limit || Failures(AddressKey(account, address), now) >= Limit;
    }

    public void RecordFailure(string account, string address)
    {
        var now = time.GetUtcNow();
        if (_failures.Count > MaxTrackedKeys)
        {
            foreach (var (key, entry) in _failures)
            {
                if (now - entry.Start >= Window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
        foreach (var key in new[] { AccountKey(account), AddressKey(account, address) })
        {
            _failures.AddOrUpdate(key, (now, 1), (_, entry) => now - entry.Start >= Window ? (now, 1) : (entry.Start, entry.Failures + 1));
        }
    }

    private int Failures(string key, DateTimeOffset now) =>
        _failures.TryGetValue(key, out var entry) && now - entry.Start < Window ? entry.Failures : 0;

    private static string AccountKey(string account) => "account\n" + account;

    private static string AddressKey(string account, string address) => "address\n" + address + "\n" + account;
}
