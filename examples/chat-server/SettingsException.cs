namespace ChatServer;

/// <summary>A setting has a value the server cannot use; the message names the option, the variable and the rule.</summary>
public sealed class SettingsException(string message) : Exception(message);
