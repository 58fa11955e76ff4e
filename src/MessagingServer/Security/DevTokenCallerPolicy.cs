using System.Net;

namespace MessagingServer.Security;

/// <summary>
/// Who may ask <c>/dev/token</c> for a token: a caller on this machine (loopback, after forwarded headers),
/// through a <c>Host</c> that names this machine. With <c>AllowedHosts</c> a list, the <c>Host</c> must be on
/// it; with <c>*</c> (the default) it must be a loopback name (<c>localhost</c>, <c>127.0.0.1</c>,
/// <c>[::1]</c>), so that a page whose DNS name was rebound to 127.0.0.1 gets nothing.
/// </summary>
public sealed class DevTokenCallerPolicy
{
    private readonly string[] _allowedHosts;

    public DevTokenCallerPolicy(string? allowedHosts)
    {
        _allowedHosts = (allowedHosts ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(h => h != "*")
            .ToArray();
    }

    public bool IsAllowed(IPAddress? caller, HostString host) =>
        caller is not null && IsLoopback(caller) && host.HasValue && IsAllowedHost(host.Host);

    private bool IsAllowedHost(string host) =>
        _allowedHosts.Length == 0 ? IsLoopbackName(host) : _allowedHosts.Any(allowed => Matches(allowed, host));

    private static bool Matches(string allowed, string host) =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackName(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsLoopback(address));

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
