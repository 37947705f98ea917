namespace WsPool.Cli;

/// <summary>The exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input (a pool file) is invalid: malformed YAML, unknown fields, broken rules.</summary>
    public const int InvalidInput = 1;
    /// <summary>The command line is wrong: unknown command or option, missing or malformed argument, unreadable file.</summary>
    public const int Usage = 2;
    /// <summary>A bug in wspool: something threw that should not have.</summary>
    public const int Internal = 3;
}
