// Citizen self-service web front end.
export function greet(name) {
  return `Hej ${name}`;
}
