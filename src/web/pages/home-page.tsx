import { Link } from 'react-router';
import { useMe } from '../api/auth';
import { usePageTitle } from '../lib/use-page-title';

const cards = [
  {
    to: '/prompt-workshop',
    title: 'Workshop',
    text: 'Design a new system prompt with the workshop assistant, then test it on real articles.',
  },
  { to: '/drafts', title: 'My drafts', text: 'Pick up a draft where you left it, or tidy old ones away.' },
  {
    to: '/prompts',
    title: 'Prompt library',
    text: 'Committed prompts with their versions. Clone one to improve it in the workshop.',
  },
  { to: '/auspex-chat', title: 'Auspex chat', text: 'Ask Auspex about a topic using any library prompt.' },
];

export function HomePage() {
  const me = useMe();
  usePageTitle('Home');
  return (
    <main className="page">
      <h1>Welcome, {me.data?.user.display_name}</h1>
      <p className="muted">Design, test and publish the system prompts of Auspex.</p>
      <ul className="card-grid">
        {cards.map((c) => (
          <li key={c.to}>
            <Link to={c.to} className="card nav-card">
              <h2>{c.title}</h2>
              <p>{c.text}</p>
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
