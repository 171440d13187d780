import { type LabelerProfile, type UpdateLabelerProfile, updateLabelerProfileRoute } from '@jury/api';
import { type FormEvent, useMemo, useState } from 'react';
import { errorMessage, jury } from '../api.ts';
import { AGE_GROUPS, countryOptions, GENDERS, guessFromBrowser, languageOptions } from './codes.ts';

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Country and language (needed by filtered audiences), plus optional demographics shown in results. */
export function ProfileForm({
  profile,
  onSaved,
  onCancel,
}: {
  profile: LabelerProfile;
  onSaved: (profile: LabelerProfile) => void;
  onCancel?: (() => void) | undefined;
}) {
  const guess = useMemo(guessFromBrowser, []);
  const countries = useMemo(countryOptions, []);
  const languages = useMemo(languageOptions, []);
  const [country, setCountry] = useState(profile.country ?? guess.country);
  const [language, setLanguage] = useState(profile.language ?? guess.language);
  const [age, setAge] = useState(text(profile.demographics?.age));
  const [gender, setGender] = useState(text(profile.demographics?.gender));
  const [occupation, setOccupation] = useState(text(profile.demographics?.occupation));
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const demographics: Record<string, string> = {};
    if (age) demographics.age = age;
    if (gender) demographics.gender = gender;
    if (occupation.trim()) demographics.occupation = occupation.trim();
    const body: UpdateLabelerProfile = {
      country,
      language,
      demographics: Object.keys(demographics).length ? demographics : null,
    };
    setSaving(true);
    setError(undefined);
    try {
      const { data } = await jury.call(updateLabelerProfileRoute, { json: body });
      onSaved(data);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card profile" onSubmit={submit} aria-labelledby="profile-title">
      <h2 id="profile-title">About you</h2>
      <p className="muted">
        Some tasks are meant for people from a particular country or speaking a particular language. Nothing
        here identifies you.
      </p>
      <div className="field">
        <label htmlFor="country">Country you live in</label>
        <select id="country" required value={country} onChange={(e) => setCountry(e.target.value)}>
          <option value="">Choose a country…</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="language">Your first language</label>
        <select id="language" required value={language} onChange={(e) => setLanguage(e.target.value)}>
          <option value="">Choose a language…</option>
          {languages.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Optional</legend>
        <div className="field">
          <label htmlFor="age">Age group</label>
          <select id="age" value={age} onChange={(e) => setAge(e.target.value)}>
            <option value="">Prefer not to say</option>
            {AGE_GROUPS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="gender">Gender</label>
          <select id="gender" value={gender} onChange={(e) => setGender(e.target.value)}>
            <option value="">Prefer not to say</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="occupation">Occupation</label>
          <input
            id="occupation"
            maxLength={200}
            autoComplete="organization-title"
            value={occupation}
            onChange={(e) => setOccupation(e.target.value)}
          />
        </div>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save and start'}
        </button>
      </div>
    </form>
  );
}
