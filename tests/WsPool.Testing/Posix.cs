using System.Runtime.InteropServices;

namespace WsPool.Testing;

internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
