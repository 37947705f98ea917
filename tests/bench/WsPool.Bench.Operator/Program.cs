Console.WriteLine("bench-operator: not built yet");
