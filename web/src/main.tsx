import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { signOut, whoAmI, type Staff } from './api';
import { Analytics } from './analytics';
import { Cashier } from './cashier';
import { Dashboard } from './dashboard';
import { MemberPage, MemberSearch } from './members';
import { Moderation } from './moderation';
import { Rewards } from './rewards';
import { RulesAndTiers } from './rules';
import { Settings } from './settings';
import { currentLanguage, setLanguage, t, type Language } from './i18n';
import { SignIn } from './sign-in';
import './styles.css';

function App() {
  const [language, setLanguageState] = useState<Language>(currentLanguage());
  const [staff, setStaff] = useState<Staff | null | undefined>(undefined);
  useEffect(() => { void whoAmI().then(setStaff); }, []);
  const switchLanguage = (next: Language) => { setLanguage(next); setLanguageState(next); };
  if (staff === undefined) return null;
  return (
    <div className="app">
      <header>
        <strong>Sentang</strong>
        <nav>
          {staff && staff.role !== 'cashier' && <a href="/">{t('dashboard', language)}</a>}
          {staff && staff.role !== 'cashier' && <a href="/members">{t('members', language)}</a>}
          {staff && staff.role !== 'cashier' && <a href="/rules">{t('rulesAndTiers', language)}</a>}
          {staff && staff.role !== 'cashier' && <a href="/rewards">{t('rewards', language)}</a>}
          {staff && staff.role !== 'cashier' && <a href="/analytics">{t('analytics', language)}</a>}
          {staff && staff.role !== 'cashier' && <a href="/review">{t('moderation', language)}</a>}
          {staff && staff.role !== 'cashier' && <a href="/settings">{t('settings', language)}</a>}
          {staff && <a href="/cashier">{t('cashier', language)}</a>}
          <button type="button" className={language === 'th' ? 'active' : ''} onClick={() => switchLanguage('th')}>ไทย</button>
          <button type="button" className={language === 'en' ? 'active' : ''} onClick={() => switchLanguage('en')}>EN</button>
          {staff && <span className="who">{t('signedInAs', language)} {staff.name}</span>}
          {staff && <button type="button" onClick={() => void signOut().then(() => setStaff(null))}>{t('signOut', language)}</button>}
        </nav>
      </header>
      <main>
        {staff === null ? <SignIn language={language} onSignedIn={setStaff} />
          : location.pathname === '/cashier' || staff.role === 'cashier' ? <Cashier language={language} />
            : location.pathname === '/members' ? <MemberSearch language={language} />
              : location.pathname === '/review' ? <Moderation language={language} />
              : location.pathname === '/rules' ? <RulesAndTiers language={language} />
              : location.pathname === '/rewards' ? <Rewards language={language} />
              : location.pathname === '/analytics' ? <Analytics language={language} />
              : location.pathname === '/settings' ? <Settings language={language} isOwner={staff.role === 'owner'} />
              : location.pathname.startsWith('/members/') ? <MemberPage language={language} memberId={decodeURIComponent(location.pathname.slice('/members/'.length))} canAdjust />
                : <Dashboard language={language} />}
      </main>
      <footer><a href="/docs">{t('apiDocs', language)}</a></footer>
    </div>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(<StrictMode><App /></StrictMode>);
