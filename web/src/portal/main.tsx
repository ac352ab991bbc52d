import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { currentLanguage, setLanguage, type Language } from '../i18n';
import { lineLoginOf, loadCard, signInAsDemo, signInWithLine, signInWithToken, signOut, type MemberCard } from './api';
import { CardTab } from './card-tab';
import { HistoryTab } from './history-tab';
import { InviteTab } from './invite-tab';
import { RewardsTab } from './rewards-tab';
import { SettingsTab } from './settings-tab';
import { ShareTab } from './share-tab';
import { TransferTab } from './transfer-tab';
import { pt, type PortalTextKey } from './texts';
import './portal.css';

const tabs = ['card', 'rewards', 'transfer', 'invite', 'share', 'history', 'settings'] as const;
type Tab = (typeof tabs)[number];
const tabLabels: Record<Tab, PortalTextKey> = {
  card: 'memberCard', rewards: 'rewards', transfer: 'transfer', invite: 'invite', share: 'share', history: 'history', settings: 'settings',
};

/**
 * Starts the shop's LIFF app and trades LINE's ID token for a member session. The LIFF SDK is loaded
 * only here, so members who come by a sign-in link never download it.
 */
async function signInThroughLine(merchant: string): Promise<'signed-in' | 'redirected' | 'not-offered'> {
  const login = await lineLoginOf(merchant);
  if (!login) return 'not-offered';
  const { default: liff } = await import('@line/liff');
  await liff.init({ liffId: login.liffId });
  if (!liff.isLoggedIn()) {
    liff.login({ redirectUri: location.href });
    return 'redirected';
  }
  const idToken = liff.getIDToken();
  if (!idToken) throw new Error('LINE gave no ID token: turn on the openid scope of the LIFF app');
  await signInWithLine(merchant, idToken);
  return 'signed-in';
}

function Portal() {
  const [language, setLanguageState] = useState<Language>(currentLanguage());
  const [card, setCard] = useState<MemberCard | null | undefined>(undefined);
  const [tab, setTab] = useState<Tab>('card');
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => setCard(await loadCard()), []);

  useEffect(() => {
    void (async () => {
      // A sign-in link: trade its token for a session once, then drop it from the address bar.
      const token = new URLSearchParams(location.search).get('token');
      if (token) {
        history.replaceState(null, '', '/portal');
        try {
          await signInWithToken(token);
        } catch (failure) {
          setError((failure as Error).message);
        }
      }
      try {
        const signedIn = await loadCard();
        // Opened in LINE (the LIFF app's endpoint is /portal?merchant=<slug>): sign in with LINE.
        const merchant = new URLSearchParams(location.search).get('merchant');
        if (signedIn || !merchant) {
          setCard(signedIn);
          return;
        }
        if ((await signInThroughLine(merchant)) === 'redirected') return;
        await refresh();
      } catch (failure) {
        setError((failure as Error).message);
        setCard(null);
      }
    })();
  }, [refresh]);

  const switchLanguage = (next: Language) => { setLanguage(next); setLanguageState(next); };
  const tryDemo = async () => {
    setError(null);
    try {
      await signInAsDemo();
      await refresh();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  if (card === undefined) return null;
  return (
    <div className="portal">
      <header>
        <strong>{card?.merchant.name ?? 'Sentang'}</strong>
        <span role="group" aria-label={pt('language', language)}>
          <button type="button" className={language === 'th' ? 'active' : ''} onClick={() => switchLanguage('th')}>ไทย</button>
          <button type="button" className={language === 'en' ? 'active' : ''} onClick={() => switchLanguage('en')}>EN</button>
        </span>
      </header>
      {card === null ? (
        <main className="sign-in">
          <h1>{pt('signInTitle', language)}</h1>
          <p>{pt('signInHelp', language)}</p>
          {error && <p role="alert" className="error">{error}</p>}
          <button type="button" onClick={() => void tryDemo()}>{pt('tryDemo', language)}</button>
        </main>
      ) : (
        <>
          <nav role="tablist" aria-label={pt('memberCard', language)}>
            {tabs.map((name) => (
              <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>{pt(tabLabels[name], language)}</button>
            ))}
          </nav>
          <main role="tabpanel">
            {tab === 'card' && <CardTab card={card} language={language} />}
            {tab === 'rewards' && <RewardsTab card={card} language={language} onChange={refresh} />}
            {tab === 'transfer' && <TransferTab card={card} language={language} onChange={refresh} />}
            {tab === 'invite' && <InviteTab card={card} language={language} />}
            {tab === 'share' && <ShareTab card={card} language={language} />}
            {tab === 'history' && <HistoryTab card={card} language={language} />}
            {tab === 'settings' && <SettingsTab card={card} language={language} onChange={refresh} onSignOut={() => void signOut().then(() => setCard(null))} />}
          </main>
        </>
      )}
    </div>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(<StrictMode><Portal /></StrictMode>);
